using System.Globalization;
using System.Threading.RateLimiting;
using Helix.Core.Principals;
using Helix.Gateway.Configuration;
using Helix.Gateway.DataPlane;

namespace Helix.Gateway.Access;

/// <summary>Rate limits of the data plane: ASP.NET Core rate limiting, one fixed one-minute window per key or address.</summary>
/// <remarks>
/// Partitioned by the key (<see cref="KeyEntry.RateLimitPartition"/>, set by <see cref="DataPlaneAuthenticationMiddleware"/>); a key's own
/// <c>requestsPerMinute</c>, else <c>Helix:DataPlane:RequestsPerMinute</c>, else no limit. Anonymous calls (no key
/// required yet) are partitioned by the caller's address, at <c>Helix:DataPlane:AnonymousRequestsPerMinute</c>, else
/// the keys' default, else no limit. A refusal is 429 <c>rate_limited</c> in the OpenAI shape with
/// <c>retry-after</c>, before the endpoint runs: nothing is logged or spent.
/// </remarks>
internal static class DataPlaneRateLimits
{
    /// <summary>The highest limit a key or the default may set.</summary>
    public const int MaxRequestsPerMinute = 1_000_000;

    public static IServiceCollection AddDataPlaneRateLimits(this IServiceCollection services, GatewayOptions options)
    {
        var fallback = options.DataPlane.RequestsPerMinute;
        var anonymous = options.DataPlane.AnonymousRequestsPerMinute ?? fallback;
        return services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.Features.Get<KeyEntry>() is { } entry)
                {
                    return (entry.RequestsPerMinute ?? fallback) is { } perMinute
                        ? PerMinute(entry.RateLimitPartition, perMinute)
                        : RateLimitPartition.GetNoLimiter(string.Empty);
                }

                // No key: an anonymous call (a refused key never gets this far). Key ids never contain ':'.
                return anonymous is { } limit
                    ? PerMinute("anonymous:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limit)
                    : RateLimitPartition.GetNoLimiter(string.Empty);
            });
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = static (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 60;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                response.ContentType = "application/json";
                var who = rejected.HttpContext.Features.Get<KeyEntry>() is null ? "This address's" : "This key's";
                var body = OpenAIErrors.Utf8(
                    $"{who} rate limit is reached; retry in {seconds} s.", "rate_limit_error", "rate_limited");
                return response.Body.WriteAsync(body, cancellationToken);
            };
        });
    }

    private static RateLimitPartition<string> PerMinute(string partition, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
