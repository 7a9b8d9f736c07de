using Helix.Simulator.Wire;

namespace Helix.Simulator.Gemini;

/// <summary>
/// Gemini's google.rpc.Status errors: <c>{"error":{"code","message","status","details":[…]}}</c>. A rate limit carries
/// a <c>QuotaFailure</c> and a <c>RetryInfo.retryDelay</c> and, like the real API, no <c>retry-after</c> header.
/// </summary>
internal sealed class GeminiErrorDialect : ErrorDialect
{
    public static readonly GeminiErrorDialect Instance = new();

    public override async Task WriteAsync(
        HttpContext context, WireError error, string requestId, string model, int retryAfterSeconds, string? message = null)
    {
        var (code, status, text) = error switch
        {
            WireError.InvalidRequest => (400, "INVALID_ARGUMENT", message ?? "Request contains an invalid argument."),
            WireError.NotFound => (404, "NOT_FOUND",
                message ?? $"models/{model} is not found for API version v1beta, or is not supported for generateContent."),
            WireError.RateLimited => (429, "RESOURCE_EXHAUSTED",
                $"You exceeded your current quota, please check your plan and billing details. Please retry in {retryAfterSeconds}s."),
            WireError.ServerError => (500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"),
            WireError.Overloaded => (503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
            WireError.Unauthorized => (401, "UNAUTHENTICATED", "API key not valid. Please pass a valid API key."),
            _ => (429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details."),
        };

        using var writer = new WireWriter(context, SimulatorFault.None);
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteNumber("code", code);
        json.WriteString("message", text);
        json.WriteString("status", status);
        json.WriteStartArray("details");
        switch (error)
        {
            case WireError.RateLimited or WireError.InsufficientQuota:
                json.WriteStartObject();
                json.WriteString("@type", "type.googleapis.com/google.rpc.QuotaFailure");
                json.WriteStartArray("violations");
                json.WriteStartObject();
                json.WriteString("quotaMetric", "generativelanguage.googleapis.com/generate_content_requests");
                json.WriteString("quotaId", error is WireError.RateLimited
                    ? "GenerateRequestsPerMinutePerProjectPerModel"
                    : "GenerateRequestsPerDayPerProjectPerModel");
                json.WriteStartObject("quotaDimensions");
                json.WriteString("location", "global");
                json.WriteString("model", model);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                if (error is WireError.RateLimited)
                {
                    json.WriteStartObject();
                    json.WriteString("@type", "type.googleapis.com/google.rpc.RetryInfo");
                    json.WriteString("retryDelay", $"{retryAfterSeconds}s");
                    json.WriteEndObject();
                }

                break;
            case WireError.Unauthorized:
                json.WriteStartObject();
                json.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
                json.WriteString("reason", "API_KEY_INVALID");
                json.WriteString("domain", "googleapis.com");
                json.WriteEndObject();
                break;
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        await writer.SendJsonAsync(code);
    }
}
