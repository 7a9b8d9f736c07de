using Helix.Core.Calls.Transcription;
using Helix.Core.Pipeline;
using Helix.Core.Routing;

namespace Helix.Gateway.DataPlane.Audio;

/// <summary>A <c>POST /v1/audio/transcriptions</c> call that passed validation.</summary>
/// <param name="Request">Who calls which operation.</param>
/// <param name="Route">The operation's route, as validated against.</param>
/// <param name="Audio">The file's bytes.</param>
/// <param name="FileName">The file name the caller gave.</param>
/// <param name="Inspected">What the bytes are: container, length, channels.</param>
/// <param name="Language">The spoken language, when the caller named it.</param>
/// <param name="Prompt">Text to guide the model.</param>
/// <param name="Format">The response format.</param>
/// <param name="Temperature">0 to 1, when set.</param>
/// <param name="Multichannel">Whether each channel is transcribed (and billed) on its own; a Helix extension field.</param>
internal sealed record TranscriptionRequest(
    OperationRequest Request,
    RouteDecision Route,
    ReadOnlyMemory<byte> Audio,
    string FileName,
    AudioInfo Inspected,
    string? Language,
    string? Prompt,
    TranscriptFormat Format,
    double? Temperature,
    bool Multichannel);
