namespace Helix.Core.Experiments;

/// <summary>A candidate against the control: effect sizes with their confidence intervals, and the verdict.</summary>
/// <param name="Arm">The candidate arm.</param>
/// <param name="ErrorRateDifference">Candidate minus control error rate (absolute), or <see langword="null"/> before both arms have calls.</param>
/// <param name="CostPerCallDifferenceUsd">Candidate minus control mean cost per call in USD, or <see langword="null"/> before both arms have served calls.</param>
/// <param name="CostPerCallChange">The cost difference as a fraction of the control's cost per call (−0.6 = 60% cheaper), or <see langword="null"/>.</param>
/// <param name="LatencyP95Ratio">Candidate over control latency p95 (a point estimate; percentiles get no sequence), or <see langword="null"/>.</param>
/// <param name="Verdict">One of <c>collecting</c>, <c>undecided</c>, <c>winner</c>, <c>not-cheaper</c>, <c>guardrail-breached</c>.</param>
/// <param name="Reason">A sentence explaining the verdict with the numbers.</param>
/// <param name="QualityDifference">Candidate minus control mean feedback score (−1..1 scale), or <see langword="null"/> before both arms have rated calls.</param>
public sealed record ArmComparison(
    string Arm,
    ConfidenceInterval? ErrorRateDifference,
    ConfidenceInterval? CostPerCallDifferenceUsd,
    double? CostPerCallChange,
    double? LatencyP95Ratio,
    string Verdict,
    string Reason,
    ConfidenceInterval? QualityDifference = null);
