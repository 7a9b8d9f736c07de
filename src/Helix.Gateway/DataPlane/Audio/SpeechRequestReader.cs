using System.Text.Json.Nodes;
using Helix.Core.Calls.Speech;
using Helix.Core.Pipeline;
using Helix.Core.Routing;
using Helix.Gateway.Access;
using Helix.Gateway.Configuration;

namespace Helix.Gateway.DataPlane.Audio;

/// <summary>Reads and validates a <c>POST /v1/audio/speech</c> body (OpenAI's <c>CreateSpeechRequest</c>) before anything is routed.</summary>
internal static class SpeechRequestReader
{
    /// <summary>OpenAI's limit on <c>input</c>, in characters.</summary>
    public const int MaxInputLength = 4096;

    public const double MinSpeed = 0.25;
    public const double MaxSpeed = 4.0;

    public static readonly string[] Formats = ["mp3", "opus", "aac", "flac", "wav", "pcm"];

    public static async Task<Checked<SpeechRequest>> ReadAsync(HttpContext context, RouteTable routes, GatewayOptions options, CancellationToken cancellationToken)
    {
        var (body, error, status) = await RequestBody.ReadJsonObjectAsync(context.Request, options.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            return Checked<SpeechRequest>.Invalid(error!, null, statusCode: status);
        }

        return Validate(context.Request, body, routes);
    }

    public static Checked<SpeechRequest> Validate(HttpRequest http, JsonObject body, RouteTable routes)
    {
        if (!OperationName.TryResolve(http, body, out var operation, out var operationError))
        {
            return Checked<SpeechRequest>.Fail(operationError!, "model");
        }

        var route = OperationRoute.Resolve(routes, operation, Modality.Speech);
        if (!route.IsValid)
        {
            return Checked<SpeechRequest>.Fail(route.Error, route.Param);
        }

        if (!JsonFields.TryString(body, "input", out var input) || string.IsNullOrWhiteSpace(input))
        {
            return Checked<SpeechRequest>.Invalid("'input' is required: the text to speak, as a non-empty string.", "input");
        }

        if (input.Length > MaxInputLength)
        {
            return Checked<SpeechRequest>.Invalid($"'input' is {input.Length} characters long; the limit is {MaxInputLength}.", "input", "input_too_long");
        }

        if (!JsonFields.TryString(body, "voice", out var voice) || string.IsNullOrWhiteSpace(voice))
        {
            return Checked<SpeechRequest>.Invalid("'voice' is required: the name of a voice, as a string.", "voice");
        }

        var targets = route.Value.Targets;
        if (!SpeechVoices.EveryCanSpeak(targets, voice))
        {
            var models = string.Join(", ", targets.Select(t => t.Id));
            return Checked<SpeechRequest>.Invalid(
                $"Unknown voice '{voice}' for operation '{route.Value.Route.Operation}': every model of its route ({models}) must speak it. Voices they all speak: {string.Join(", ", SpeechVoices.Describe(targets))}.",
                "voice", "unknown_voice");
        }

        if (!JsonFields.TryString(body, "response_format", out var format) || (format is not null && !Formats.Contains(format, StringComparer.Ordinal)))
        {
            return Checked<SpeechRequest>.Invalid($"'response_format' must be one of {string.Join(", ", Formats)}.", "response_format");
        }

        if (!JsonFields.TryNumber(body, "speed", out var speed) || speed is < MinSpeed or > MaxSpeed)
        {
            return Checked<SpeechRequest>.Invalid($"'speed' must be a number from {MinSpeed} to {MaxSpeed}.", "speed");
        }

        if (!JsonFields.TryString(body, "instructions", out var instructions) || instructions?.Length > MaxInputLength)
        {
            return Checked<SpeechRequest>.Invalid($"'instructions' must be a string of at most {MaxInputLength} characters.", "instructions");
        }

        if (!JsonFields.TryString(body, "stream_format", out var streamFormat) || streamFormat is not (null or "audio"))
        {
            return Checked<SpeechRequest>.Invalid("'stream_format' must be \"audio\": Helix streams the audio bytes as they arrive; SSE events are not served.", "stream_format");
        }

        if (!JsonFields.TryString(body, "user", out var user) || user?.Length > EndUser.MaxLength)
        {
            return Checked<SpeechRequest>.Invalid($"'user' must be a string of at most {EndUser.MaxLength} characters.", "user");
        }

        var request = new OperationRequest
        {
            Operation = route.Value.Route.Operation,
            RequestId = RequestIds.New(),
            Principal = http.HttpContext.GetPrincipal(),
            User = EndUser.Read(http, user),
            RequestHash = ApprovalHeaders.BodyHashOf(http.HttpContext),
            ApprovalId = ApprovalHeaders.Id(http),
            ApprovalWait = ApprovalHeaders.WaitFor(http),
        };
        return new SpeechRequest(request, route.Value, input, voice, format ?? "mp3", speed ?? 1.0, instructions);
    }
}
