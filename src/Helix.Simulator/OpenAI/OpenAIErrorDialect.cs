using Helix.Simulator.Wire;

namespace Helix.Simulator.OpenAI;

/// <summary>
/// OpenAI's <c>{"error":{"message","type","param","code"}}</c> with its statuses; DeepSeek uses the same shape but
/// answers an empty balance with 402.
/// </summary>
internal sealed class OpenAIErrorDialect(bool deepSeek) : ErrorDialect
{
    public static readonly OpenAIErrorDialect OpenAI = new(deepSeek: false);
    public static readonly OpenAIErrorDialect DeepSeek = new(deepSeek: true);

    public override async Task WriteAsync(
        HttpContext context, WireError error, string requestId, string model, int retryAfterSeconds, string? message = null)
    {
        var (status, type, code, text) = error switch
        {
            WireError.InvalidRequest => (400, "invalid_request_error", (string?)null, message ?? "Invalid request."),
            WireError.NotFound => (404, "invalid_request_error", "model_not_found",
                message ?? $"The model `{model}` does not exist or you do not have access to it."),
            WireError.RateLimited => (429, "requests", "rate_limit_exceeded",
                $"Rate limit reached for {model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in {retryAfterSeconds}s."),
            WireError.ServerError => (500, "server_error", null,
                "The server had an error while processing your request. Sorry about that!"),
            WireError.Overloaded => (503, "server_error", null,
                "The engine is currently overloaded, please try again later."),
            WireError.Unauthorized => (401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."),
            WireError.InsufficientQuota when deepSeek => (402, "unknown_error", "invalid_request_error", "Insufficient Balance"),
            _ => (429, "insufficient_quota", "insufficient_quota",
                "You exceeded your current quota, please check your plan and billing details."),
        };

        if (error is WireError.RateLimited)
        {
            context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["x-ratelimit-reset-requests"] = $"{retryAfterSeconds}s";
            context.Response.Headers["x-ratelimit-remaining-requests"] = "0";
        }

        using var writer = new WireWriter(context, SimulatorFault.None);
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", text);
        json.WriteString("type", type);
        json.WriteNull("param");
        if (code is null)
        {
            json.WriteNull("code");
        }
        else
        {
            json.WriteString("code", code);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await writer.SendJsonAsync(status);
    }
}
