using System.Text.Json;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.OpenAI;

/// <summary>Maps OpenAI-compatible failures (<c>{"error":{"message","type","code"}}</c>) to <see cref="ProviderError"/> values.</summary>
/// <remarks>Stateless and thread-safe. Messages pass through <see cref="ProviderHttp.Redact"/> so an echoed key never leaves.</remarks>
internal static class OpenAIErrors
{
    /// <summary>The error of a response with a failure status.</summary>
    public static ProviderError FromResponse(HttpResponseMessage response, ReadOnlySpan<byte> body, TimeProvider time, string provider, string? apiKey)
    {
        var status = (int)response.StatusCode;
        var (message, code, type) = ReadError(body);
        var kind = KindOf(status, code, type);
        var text = ProviderHttp.Redact(message ?? ProviderHttp.StatusText(response), apiKey);
        return new ProviderError(kind, $"{provider}: {text}", status, ProviderHttp.RetryAfter(response, time), code ?? type);
    }

    /// <summary>The error of an <c>{"error":…}</c> payload sent with a success status or inside a stream.</summary>
    public static ProviderError FromPayload(in OpenAIChatPayload payload, string provider, string? apiKey)
    {
        var kind = KindOf(status: null, payload.ErrorCode, payload.ErrorType);
        var text = ProviderHttp.Redact(payload.ErrorMessage ?? "the upstream reported an error", apiKey);
        return new ProviderError(kind, $"{provider}: {text}", null, null, payload.ErrorCode ?? payload.ErrorType);
    }

    /// <summary>The class of a failure, from its status and, where the status is ambiguous, the provider's code.</summary>
    public static ProviderErrorKind KindOf(int? status, string? code, string? type)
    {
        if (IsQuota(code) || IsQuota(type))
        {
            return ProviderErrorKind.QuotaExhausted;
        }

        return status is { } httpStatus
            ? ProviderHttp.KindOfStatus(httpStatus) ?? ProviderErrorKind.ServerError
            : KindOfCode(code, type);
    }

    // Without a status (an error inside a stream or a 200 body), the code and type are all there is.
    private static ProviderErrorKind KindOfCode(string? code, string? type) =>
        code is "rate_limit_exceeded" || type is "requests" or "tokens" or "rate_limit_error" ? ProviderErrorKind.RateLimited
        : code is "invalid_api_key" || type is "authentication_error" ? ProviderErrorKind.Unauthorized
        : code is "model_not_found" ? ProviderErrorKind.NotFound
        : code is "context_length_exceeded" || type is "invalid_request_error" ? ProviderErrorKind.InvalidRequest
        : ProviderErrorKind.ServerError;

    private static bool IsQuota(string? code) =>
        code is "insufficient_quota" or "insufficient_balance" or "billing_hard_limit_reached";

    private static (string? Message, string? Code, string? Type) ReadError(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return default;
        }

        try
        {
            var payload = OpenAIChatPayload.Read(body, text: null);
            return payload.HasError ? (payload.ErrorMessage, payload.ErrorCode, payload.ErrorType) : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
