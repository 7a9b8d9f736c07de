using System.Globalization;
using System.Text;
using Helix.Simulator.Wire;

namespace Helix.Simulator.EdgeTts;

/// <summary>Edge read-aloud refusals: the WebSocket handshake answered with an HTTP status and a short text body, no upgrade.</summary>
/// <remarks>
/// Edge has no account, so no quota: <see cref="WireError.InsufficientQuota"/> is answered 402 only so the same fault
/// control applies to every simulated modality.
/// </remarks>
internal sealed class EdgeTtsErrorDialect : ErrorDialect
{
    public static readonly EdgeTtsErrorDialect Instance = new();

    public override async Task WriteAsync(
        HttpContext context, WireError error, string requestId, string model, int retryAfterSeconds, string? message = null)
    {
        var (status, text) = error switch
        {
            WireError.InvalidRequest => (400, message ?? "Bad Request"),
            WireError.NotFound => (404, message ?? "Not Found"),
            WireError.RateLimited => (429, "Too Many Requests"),
            WireError.ServerError => (500, "Internal Server Error"),
            WireError.Overloaded => (503, "Service Unavailable"),
            WireError.Unauthorized => (403, message ?? "Forbidden: the client token or Sec-MS-GEC is not valid"),
            _ => (402, "Payment Required"),
        };

        if (error is WireError.RateLimited)
        {
            context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-RequestId"] = requestId;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted);
    }
}
