namespace Helix.Core.Resilience;

/// <summary>How hard Helix tries a model before falling back, and how long a call may take in all.</summary>
public sealed class ResilienceOptions
{
    /// <summary>The configuration section, under <c>Helix</c>.</summary>
    public const string SectionName = "Helix:Resilience";

    /// <summary>How long one attempt may take before it is abandoned (default 60 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a whole call may take, across every retry and fallback (default 120 s).</summary>
    public TimeSpan OverallDeadline { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries of one model after its first attempt (default 2).</summary>
    public int MaxRetriesPerModel { get; set; } = 2;

    /// <summary>The first backoff delay; each retry doubles it, with full jitter (default 200 ms).</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The largest backoff delay (default 5 s).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A <c>retry-after</c> longer than this sends the call to the next model instead of waiting (default 10 s).</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failures of a model that open its circuit (default 5).</summary>
    public int CircuitFailureThreshold { get; set; } = 5;

    /// <summary>How long an open circuit skips its model before one trial call (default 30 s).</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
