using Helix.Core.Pipeline;
using Helix.Core.Routing;

namespace Helix.Gateway.DataPlane.Audio;

/// <summary>A <c>POST /v1/audio/speech</c> call that passed validation.</summary>
/// <param name="Request">Who calls which operation.</param>
/// <param name="Route">The operation's route, as validated against.</param>
/// <param name="Input">The text to speak (1 to 4096 characters).</param>
/// <param name="Voice">A voice every model of the route can speak.</param>
/// <param name="ResponseFormat"><c>mp3</c>, <c>opus</c>, <c>aac</c>, <c>flac</c>, <c>wav</c> or <c>pcm</c>.</param>
/// <param name="Speed">0.25 to 4.0.</param>
/// <param name="Instructions">Style instructions, for models that take them.</param>
internal sealed record SpeechRequest(
    OperationRequest Request,
    RouteDecision Route,
    string Input,
    string Voice,
    string ResponseFormat,
    double Speed,
    string? Instructions);
