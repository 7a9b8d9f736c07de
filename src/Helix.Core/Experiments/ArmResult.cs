namespace Helix.Core.Experiments;

/// <summary>What one arm's calls did so far.</summary>
/// <param name="Name">The arm.</param>
/// <param name="Model">Its model.</param>
/// <param name="Share">Its configured share of traffic.</param>
/// <param name="Calls">Calls assigned to it that ended (cancelled ones are left out).</param>
/// <param name="Errors">Calls its model did not serve on the first attempt (failed, or skipped by a circuit or a missing price).</param>
/// <param name="CostPerCallUsd">The mean cost of its served first attempts, unrounded, or <see langword="null"/> with none.</param>
/// <param name="LatencyP95Ms">The 95th percentile latency of its served first attempts, or <see langword="null"/> with none.</param>
/// <param name="ScoredCalls">Its calls that received feedback.</param>
/// <param name="QualityMean">Their mean feedback score on the −1..1 scale, or <see langword="null"/> with none.</param>
public sealed record ArmResult(string Name, string Model, decimal Share, long Calls, long Errors, decimal? CostPerCallUsd, double? LatencyP95Ms, long ScoredCalls = 0, double? QualityMean = null)
{
    /// <summary>Errors over calls, or <see langword="null"/> with no call.</summary>
    public double? ErrorRate => Calls == 0 ? null : (double)Errors / Calls;
}
