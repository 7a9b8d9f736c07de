namespace Helix.Core.Experiments;

/// <summary>When an experiment stops by itself: the limits a candidate must stay within and the test's error level.</summary>
/// <remarks>Immutable. Each limit is judged on an always-valid confidence sequence (see <see cref="ConfidenceSequence"/>), so checking after every call is sound.</remarks>
public sealed record ExperimentGuardrails
{
    /// <summary>The most a candidate's error rate may exceed the control's, as an absolute fraction (0.05 = 5 points).</summary>
    public decimal MaxErrorRateIncrease { get; init; } = 0.05m;

    /// <summary>The most a candidate's latency p95 may exceed the control's, as a fraction of it (0.5 = 50% slower).</summary>
    public decimal MaxLatencyP95Increase { get; init; } = 0.5m;

    /// <summary>The most a candidate's cost per call may exceed the control's, as a fraction of it (0 = not dearer).</summary>
    public decimal MaxCostPerCallIncrease { get; init; }

    /// <summary>The most a candidate's mean feedback score may fall below the control's, on the −1..1 scale (0.1 = a tenth of a thumb).</summary>
    /// <remarks>Judged only once every arm has <see cref="ExperimentEvaluator.MinScoredCallsPerArm"/> rated calls; before that, quality decides nothing.</remarks>
    public decimal MaxQualityDecrease { get; init; } = Savings.QualityGate.MaxScoreDecrease;

    /// <summary>Calls every arm needs before any decision.</summary>
    public int MinCallsPerArm { get; init; } = 100;

    /// <summary>The error level of each confidence sequence (0.05 = 95% confidence, uniformly over time).</summary>
    public decimal Alpha { get; init; } = 0.05m;
}
