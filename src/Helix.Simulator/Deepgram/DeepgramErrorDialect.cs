using System.Globalization;
using Helix.Simulator.Wire;

namespace Helix.Simulator.Deepgram;

/// <summary>Deepgram's <c>{"err_code","err_msg","request_id"}</c> errors.</summary>
internal sealed class DeepgramErrorDialect : ErrorDialect
{
    public static readonly DeepgramErrorDialect Instance = new();

    public override async Task WriteAsync(
        HttpContext context, WireError error, string requestId, string model, int retryAfterSeconds, string? message = null)
    {
        var (status, code, text) = error switch
        {
            WireError.InvalidRequest => (400, "Bad Request", message ?? "Bad Request: failed to process audio: corrupt or unsupported data"),
            WireError.NotFound => (404, "Not Found", message ?? $"No such model/version/tier combination found: {model}"),
            WireError.RateLimited => (429, "TOO_MANY_REQUESTS", "Too many requests. Please try again later"),
            WireError.ServerError => (500, "INTERNAL_SERVER_ERROR", "The server encountered an unexpected error."),
            WireError.Overloaded => (503, "SERVICE_UNAVAILABLE", "The service is temporarily overloaded. Please try again later."),
            WireError.Unauthorized => (401, "INVALID_AUTH", "Invalid credentials."),
            _ => (402, "ASR_PAYMENT_REQUIRED",
                "Project does not have enough credits for an ASR request and does not have an overage agreement."),
        };

        if (error is WireError.RateLimited)
        {
            context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        using var writer = new WireWriter(context, SimulatorFault.None);
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteString("err_code", code);
        json.WriteString("err_msg", text);
        json.WriteString("request_id", requestId);
        json.WriteEndObject();
        await writer.SendJsonAsync(status);
    }
}
