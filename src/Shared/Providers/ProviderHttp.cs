using System.Globalization;
using System.Net;
using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>HTTP plumbing shared by the adapters: URLs, <c>retry-after</c>, and transport failures as values.</summary>
/// <remarks>
/// Compiled into each adapter assembly as a linked source file, so the adapters share one implementation without
/// a public surface nobody else should call. Stateless and thread-safe.
/// </remarks>
internal static class ProviderHttp
{
    /// <summary>Appends <paramref name="relativePath"/> to the endpoint's base URL, whether or not that ends in a slash.</summary>
    public static Uri Combine(Uri baseUrl, string relativePath)
    {
        var root = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(root + "/" + relativePath.TrimStart('/'), UriKind.Absolute);
    }

    /// <summary>The delay a response asks for: <c>retry-after-ms</c>, else <c>retry-after</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var msValues)
            && double.TryParse(msValues.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            && ms >= 0 && double.IsFinite(ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (!response.Headers.TryGetValues("retry-after", out var values))
        {
            return null;
        }

        var raw = values.FirstOrDefault()?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        // Fractional seconds are not in RFC 9110, but some OpenAI-compatible servers send them.
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 && double.IsFinite(seconds) ? TimeSpan.FromSeconds(seconds) : null;
        }

        if (DateTimeOffset.TryParseExact(raw, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delay = date - time.GetUtcNow();
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>The class of a failure status (4xx or 5xx); <see langword="null"/> for any other status.</summary>
    public static ProviderErrorKind? KindOfStatus(int status) => status switch
    {
        (int)HttpStatusCode.TooManyRequests => ProviderErrorKind.RateLimited,
        (int)HttpStatusCode.PaymentRequired => ProviderErrorKind.QuotaExhausted,
        (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden => ProviderErrorKind.Unauthorized,
        (int)HttpStatusCode.NotFound => ProviderErrorKind.NotFound,
        (int)HttpStatusCode.RequestTimeout => ProviderErrorKind.Timeout,
        >= 500 => ProviderErrorKind.ServerError,
        >= 400 => ProviderErrorKind.InvalidRequest,
        _ => null,
    };

    /// <summary>Whether <paramref name="exception"/> is a transport failure that becomes a <see cref="ProviderError"/>.</summary>
    /// <remarks>Call it only after a caller's cancellation has been let through: any other cancellation is a timeout.</remarks>
    public static bool IsTransportFailure(Exception exception) =>
        exception is OperationCanceledException or HttpRequestException or IOException;

    /// <summary>The <see cref="ProviderError"/> of a transport failure.</summary>
    public static ProviderError TransportError(Exception exception, string provider, TimeSpan clientTimeout) => exception switch
    {
        OperationCanceledException => new ProviderError(ProviderErrorKind.Timeout,
            clientTimeout == Timeout.InfiniteTimeSpan
                ? $"The request to {provider} was cancelled by the HTTP client."
                : $"{provider} did not answer within the HTTP client's timeout of {clientTimeout.TotalSeconds:0.###} s."),
        _ => new ProviderError(ProviderErrorKind.Network, $"The connection to {provider} failed: {exception.Message}"),
    };

    /// <summary>Replaces every occurrence of <paramref name="secret"/> in a provider's message, which may echo a key.</summary>
    public static string Redact(string message, string? secret) =>
        string.IsNullOrEmpty(secret) ? message : message.Replace(secret, "***", StringComparison.Ordinal);

    /// <summary>A status line for errors whose body says nothing readable.</summary>
    public static string StatusText(HttpResponseMessage response) =>
        string.IsNullOrEmpty(response.ReasonPhrase)
            ? $"HTTP {(int)response.StatusCode}"
            : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";

    /// <summary>Strips the whitespace some upstreams send as keep-alive before a JSON body, and a UTF-8 BOM.</summary>
    public static ReadOnlyMemory<byte> TrimJsonBody(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        var start = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        return body[start..];
    }
}
