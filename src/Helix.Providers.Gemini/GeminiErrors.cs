using System.Globalization;
using System.Text.Json;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.Gemini;

/// <summary>Maps Gemini failures (the <c>google.rpc.Status</c> shape) to <see cref="ProviderError"/> values.</summary>
/// <remarks>
/// Gemini sends no rate-limit headers: the delay to wait is <c>RetryInfo.retryDelay</c> in the body
/// (a <c>retry-after</c> header is honoured too, should a proxy add one). Stateless and thread-safe.
/// </remarks>
internal static class GeminiErrors
{
    /// <summary>The error of a response with a failure status.</summary>
    public static ProviderError FromResponse(HttpResponseMessage response, ReadOnlySpan<byte> body, TimeProvider time, string? apiKey)
    {
        var status = (int)response.StatusCode;
        var error = Read(body);
        var text = ProviderHttp.Redact(error.Message ?? ProviderHttp.StatusText(response), apiKey);
        var kind = error.DailyQuota ? ProviderErrorKind.QuotaExhausted : KindOf(status, error.Status);
        return new ProviderError(kind, $"gemini: {text}", status,
            error.RetryDelay ?? ProviderHttp.RetryAfter(response, time), error.Status);
    }

    /// <summary>The error of an <c>{"error":…}</c> event inside a stream.</summary>
    public static ProviderError FromPayload(ReadOnlySpan<byte> body, string? apiKey)
    {
        var error = Read(body);
        var text = ProviderHttp.Redact(error.Message ?? "the stream reported an error", apiKey);
        var kind = error.DailyQuota ? ProviderErrorKind.QuotaExhausted : KindOf(error.Code, error.Status);
        return new ProviderError(kind, $"gemini: {text}", null, error.RetryDelay, error.Status);
    }

    /// <summary>The class of a failure from its HTTP status, else its <c>google.rpc</c> status name.</summary>
    public static ProviderErrorKind KindOf(int? httpStatus, string? status) =>
        (httpStatus is { } code ? ProviderHttp.KindOfStatus(code) : null) ?? status switch
        {
            "RESOURCE_EXHAUSTED" => ProviderErrorKind.RateLimited,
            "INVALID_ARGUMENT" or "FAILED_PRECONDITION" or "OUT_OF_RANGE" => ProviderErrorKind.InvalidRequest,
            "PERMISSION_DENIED" or "UNAUTHENTICATED" => ProviderErrorKind.Unauthorized,
            "NOT_FOUND" => ProviderErrorKind.NotFound,
            _ => ProviderErrorKind.ServerError,
        };

    /// <summary>Parses a <c>google.protobuf.Duration</c> in its JSON form (<c>"37s"</c>, <c>"0.5s"</c>).</summary>
    public static TimeSpan? ParseDuration(string? value) =>
        value is { Length: > 1 } && value[^1] == 's'
        && double.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
        && seconds >= 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;

    private static GoogleError Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return default;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            return new GoogleError(
                ChatJson.StringOf(error, "message"),
                ChatJson.StringOf(error, "status"),
                error.TryGetProperty("code", out var code) && code.TryGetInt32(out var number) ? number : null,
                RetryDelayOf(error),
                IsDailyQuota(error));
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static TimeSpan? RetryDelayOf(JsonElement error)
    {
        if (!error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var detail in details.EnumerateArray())
        {
            if (detail.ValueKind == JsonValueKind.Object
                && ChatJson.StringOf(detail, "@type") is { } type && type.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal)
                && ParseDuration(ChatJson.StringOf(detail, "retryDelay")) is { } delay)
            {
                return delay;
            }
        }

        return null;
    }

    // A QuotaFailure on a per-day quota, with no RetryInfo: the quota is spent until tomorrow, not a rate to wait out.
    private static bool IsDailyQuota(JsonElement error)
    {
        if (!error.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var daily = false;
        foreach (var detail in details.EnumerateArray())
        {
            var type = ChatJson.StringOf(detail, "@type") ?? string.Empty;
            if (type.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal))
            {
                return false;
            }

            if (type.EndsWith("google.rpc.QuotaFailure", StringComparison.Ordinal)
                && detail.TryGetProperty("violations", out var violations) && violations.ValueKind == JsonValueKind.Array)
            {
                foreach (var violation in violations.EnumerateArray())
                {
                    daily |= ChatJson.StringOf(violation, "quotaId")?.Contains("PerDay", StringComparison.Ordinal) == true;
                }
            }
        }

        return daily;
    }

    private readonly record struct GoogleError(string? Message, string? Status, int? Code, TimeSpan? RetryDelay, bool DailyQuota = false);
}
