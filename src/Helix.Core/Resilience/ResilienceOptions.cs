namespace Helix.Core.Resilience;

/// <summary>How hard Helix tries a model before falling back, and how long a call may take in all.</summary>
/// <remarks>
/// The defaults let a hung primary reach its fallback well inside the deadline: a non-streamed attempt gives up after
/// 40 s, a stream that has not begun after 20 s, and a timed-out model is not retried before the next model is tried;
/// so the fallback still has at least 80 s of the 120 s deadline.
/// </remarks>
public sealed class ResilienceOptions
{
    /// <summary>The configuration section, under <c>Helix</c>.</summary>
    public const string SectionName = "Helix:Resilience";

    /// <summary>How long a stream may take to begin (its first chunk, its first audio) before the attempt is abandoned (default 20 s).</summary>
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one non-streamed attempt may take in all before it is abandoned (default 40 s).</summary>
    /// <remarks>A non-streamed answer arrives whole, so its first byte is its last: this bounds it; it also caps <see cref="FirstByteTimeout"/>.</remarks>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(40);

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
