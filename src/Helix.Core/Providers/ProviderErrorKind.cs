namespace Helix.Core.Providers;

/// <summary>Why a provider call failed, as far as retrying and falling back are concerned.</summary>
public enum ProviderErrorKind
{
    /// <summary>429 rate limit: retry after the provider's delay, then fall back.</summary>
    RateLimited,

    /// <summary>Out of credit or quota (429 <c>insufficient_quota</c>, 402): never retried, falls back.</summary>
    QuotaExhausted,

    /// <summary>5xx or overloaded: retried with backoff, then falls back.</summary>
    ServerError,

    /// <summary>The attempt timed out: retried, then falls back.</summary>
    Timeout,

    /// <summary>The connection failed or broke: retried, then falls back.</summary>
    Network,

    /// <summary>The provider answered with a body that could not be read: retried, then falls back.</summary>
    MalformedResponse,

    /// <summary>401/403 from the provider (a bad key, a region block): not retried, falls back.</summary>
    Unauthorized,

    /// <summary>404 model not found: not retried, falls back.</summary>
    NotFound,

    /// <summary>400/422: the request itself is wrong; neither retried nor sent to another model.</summary>
    InvalidRequest,
}
