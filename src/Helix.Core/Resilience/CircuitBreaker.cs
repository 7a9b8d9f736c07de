namespace Helix.Core.Resilience;

/// <summary>A per-model circuit: after enough consecutive failures the model is skipped for a while.</summary>
/// <remarks>
/// Thread-safe and lock-free. Closed → (threshold consecutive failures) → open for the break duration → half-open:
/// one caller is let through as a trial; its success closes the circuit, its failure opens it again.
/// </remarks>
public sealed class CircuitBreaker
{
    private readonly int _threshold;
    private readonly long _breakTicks;
    private readonly TimeProvider _time;
    private int _consecutiveFailures;
    private long _openUntil;
    private int _trialTaken;

    /// <summary>Creates a closed circuit.</summary>
    public CircuitBreaker(int threshold, TimeSpan breakDuration, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentNullException.ThrowIfNull(time);
        _threshold = threshold;
        _breakTicks = breakDuration.Ticks;
        _time = time;
    }

    /// <summary>Whether the circuit is open now (calls are skipped).</summary>
    public bool IsOpen => Volatile.Read(ref _openUntil) > _time.GetUtcNow().UtcTicks;

    /// <summary>Whether a call may go through now; in half-open state only the first caller may.</summary>
    public bool TryEnter()
    {
        var openUntil = Volatile.Read(ref _openUntil);
        if (openUntil == 0)
        {
            return true;
        }

        if (openUntil > _time.GetUtcNow().UtcTicks)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _trialTaken, 1, 0) == 0;
    }

    /// <summary>Records a success: the circuit closes.</summary>
    public void RecordSuccess()
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _openUntil, 0);
        Volatile.Write(ref _trialTaken, 0);
    }

    /// <summary>Ends a call that says nothing about the model's health (it was cancelled, or refused for a reason of its own).</summary>
    /// <remarks>
    /// Without it, a half-open trial that ended this way would hold the trial for ever, and the model would be skipped
    /// until the process restarts. A closed or open circuit is left as it is.
    /// </remarks>
    public void ReleaseTrial() => Volatile.Write(ref _trialTaken, 0);

    /// <summary>Records a failure that says the model is unhealthy.</summary>
    public void RecordFailure()
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        if (failures >= _threshold || Volatile.Read(ref _openUntil) != 0)
        {
            Volatile.Write(ref _openUntil, _time.GetUtcNow().UtcTicks + _breakTicks);
            Volatile.Write(ref _trialTaken, 0);
        }
    }
}
