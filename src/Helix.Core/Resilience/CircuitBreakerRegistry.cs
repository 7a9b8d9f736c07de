using System.Collections.Concurrent;

namespace Helix.Core.Resilience;

/// <summary>One circuit per model, created on first use.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class CircuitBreakerRegistry
{
    private readonly ConcurrentDictionary<string, CircuitBreaker> _circuits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, CircuitBreaker> _create;

    /// <summary>Creates a registry whose circuits follow <paramref name="options"/>.</summary>
    public CircuitBreakerRegistry(ResilienceOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _create = _ => new CircuitBreaker(options.CircuitFailureThreshold, options.CircuitBreakDuration, time);
    }

    /// <summary>The circuit of a model.</summary>
    public CircuitBreaker For(string modelId) => _circuits.GetOrAdd(modelId, _create);
}
