namespace Helix.Core.Providers;

/// <summary>A failed provider call, as a value.</summary>
/// <param name="Kind">The class of failure, which decides retry and fallback.</param>
/// <param name="Message">What the provider said, without secrets.</param>
/// <param name="StatusCode">The HTTP status, when there was one.</param>
/// <param name="RetryAfter">The delay the provider asked for, when it gave one.</param>
/// <param name="ProviderCode">The provider's own error code (<c>rate_limit_exceeded</c>, <c>RESOURCE_EXHAUSTED</c>), when given.</param>
public sealed record ProviderError(
    ProviderErrorKind Kind,
    string Message,
    int? StatusCode = null,
    TimeSpan? RetryAfter = null,
    string? ProviderCode = null)
{
    /// <summary>Whether the same model may be tried again.</summary>
    public bool IsRetryable => Kind is ProviderErrorKind.RateLimited or ProviderErrorKind.ServerError
        or ProviderErrorKind.Timeout or ProviderErrorKind.Network or ProviderErrorKind.MalformedResponse;

    /// <summary>Whether the next model of the route may be tried.</summary>
    public bool AllowsFallback => Kind is not ProviderErrorKind.InvalidRequest;

    /// <summary>Whether the failure says the provider is unhealthy (it counts towards opening the circuit).</summary>
    public bool CountsAgainstHealth => Kind is ProviderErrorKind.ServerError or ProviderErrorKind.Timeout
        or ProviderErrorKind.Network or ProviderErrorKind.MalformedResponse or ProviderErrorKind.RateLimited;

    /// <summary>The stable code written to the operation log.</summary>
    public string LogCode => Kind switch
    {
        ProviderErrorKind.RateLimited => "upstream_rate_limited",
        ProviderErrorKind.QuotaExhausted => "upstream_quota_exhausted",
        ProviderErrorKind.ServerError => "upstream_server_error",
        ProviderErrorKind.Timeout => "upstream_timeout",
        ProviderErrorKind.Network => "upstream_network_error",
        ProviderErrorKind.MalformedResponse => "upstream_malformed_response",
        ProviderErrorKind.Unauthorized => "upstream_unauthorized",
        ProviderErrorKind.NotFound => "upstream_model_not_found",
        _ => "upstream_invalid_request",
    };
}
