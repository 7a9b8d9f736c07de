using System.Globalization;
using Helix.Simulator.Wire;

namespace Helix.Simulator.Anthropic;

/// <summary>Anthropic's <c>{"type":"error","error":{"type","message"},"request_id"}</c>, overloaded as 529.</summary>
internal sealed class AnthropicErrorDialect : ErrorDialect
{
    public static readonly AnthropicErrorDialect Instance = new();

    public override async Task WriteAsync(
        HttpContext context, WireError error, string requestId, string model, int retryAfterSeconds, string? message = null)
    {
        var (status, type, text) = error switch
        {
            WireError.InvalidRequest => (400, "invalid_request_error", message ?? "Invalid request."),
            WireError.NotFound => (404, "not_found_error", message ?? $"model: {model}"),
            WireError.RateLimited => (429, "rate_limit_error",
                "This request would exceed the rate limit for your organization of 50 requests per minute. Please retry later."),
            WireError.ServerError => (500, "api_error", "Internal server error"),
            WireError.Overloaded => (529, "overloaded_error", "Overloaded"),
            WireError.Unauthorized => (401, "authentication_error", "invalid x-api-key"),
            _ => (402, "billing_error",
                "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."),
        };

        if (error is WireError.RateLimited)
        {
            context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["anthropic-ratelimit-requests-remaining"] = "0";
        }

        using var writer = new WireWriter(context, SimulatorFault.None);
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteStartObject("error");
        json.WriteString("type", type);
        json.WriteString("message", text);
        json.WriteEndObject();
        json.WriteString("request_id", requestId);
        json.WriteEndObject();
        await writer.SendJsonAsync(status);
    }
}
