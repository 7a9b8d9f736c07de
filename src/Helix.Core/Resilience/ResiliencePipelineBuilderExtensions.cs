using Helix.Core.Pipeline;

namespace Helix.Core.Resilience;

/// <summary>Adds failover, the unknown-price policy, retry, circuit breaking and attempt timeouts to an operation pipeline.</summary>
public static class ResiliencePipelineBuilderExtensions
{
    /// <summary>Adds <see cref="FailoverStep"/>: the steps after it run once per model of the route.</summary>
    public static OperationPipelineBuilder UseFailover(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(new FailoverStep(builder.Services));
    }

    /// <summary>Adds <see cref="UnknownPricePolicyStep"/> (per model).</summary>
    public static OperationPipelineBuilder UseUnknownPricePolicy(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(new UnknownPricePolicyStep());
    }

    /// <summary>Adds <see cref="RetryStep"/>: the steps after it run once per attempt.</summary>
    public static OperationPipelineBuilder UseRetry(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        return builder.Use(new RetryStep(services.Resilience, services.Time, services.Logger));
    }

    /// <summary>Adds <see cref="CircuitBreakerStep"/> (per attempt).</summary>
    public static OperationPipelineBuilder UseCircuitBreaker(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(new CircuitBreakerStep(builder.Services.Circuits));
    }

    /// <summary>Adds <see cref="AttemptTimeoutStep"/> (per attempt; best placed last, next to the provider call).</summary>
    public static OperationPipelineBuilder UseAttemptTimeout(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        return builder.Use(new AttemptTimeoutStep(services.Resilience, services.Time));
    }
}
