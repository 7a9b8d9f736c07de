using System.Text.Json;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.Anthropic;

/// <summary>Maps Anthropic failures (<c>{"type":"error","error":{"type","message"}}</c>) to <see cref="ProviderError"/> values.</summary>
/// <remarks>529 <c>overloaded_error</c> is a server error; <c>retry-after</c> gives the delay. Stateless and thread-safe.</remarks>
internal static class AnthropicErrors
{
    /// <summary>The error of a response with a failure status.</summary>
    public static ProviderError FromResponse(HttpResponseMessage response, ReadOnlySpan<byte> body, TimeProvider time, string? apiKey)
    {
        var status = (int)response.StatusCode;
        var (type, message) = Read(body);
        var kind = ProviderHttp.KindOfStatus(status) ?? ProviderErrorKind.ServerError;
        var text = ProviderHttp.Redact(message ?? ProviderHttp.StatusText(response), apiKey);
        return new ProviderError(kind, $"anthropic: {text}", status, ProviderHttp.RetryAfter(response, time), type);
    }

    /// <summary>The error of an <c>error</c> event inside a stream.</summary>
    public static ProviderError FromEvent(ReadOnlySpan<byte> data, string? apiKey)
    {
        var (type, message) = Read(data);
        var kind = type switch
        {
            "rate_limit_error" => ProviderErrorKind.RateLimited,
            "billing_error" => ProviderErrorKind.QuotaExhausted,
            "authentication_error" or "permission_error" => ProviderErrorKind.Unauthorized,
            "not_found_error" => ProviderErrorKind.NotFound,
            "invalid_request_error" or "request_too_large" => ProviderErrorKind.InvalidRequest,
            "timeout_error" => ProviderErrorKind.Timeout,
            _ => ProviderErrorKind.ServerError,
        };
        var text = ProviderHttp.Redact(message ?? "the stream reported an error", apiKey);
        return new ProviderError(kind, $"anthropic: {text}", null, null, type);
    }

    private static (string? Type, string? Message) Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return default;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? (ChatJson.StringOf(error, "type"), ChatJson.StringOf(error, "message"))
                : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
