namespace Helix.Core.Savings;

/// <summary>How a model behaved in the replayed window, from the log's attempts on it (any operation).</summary>
/// <param name="Model">The catalog id.</param>
/// <param name="Attempts">Attempts on the model (succeeded or failed; cancelled ones are left out).</param>
/// <param name="Failures">Attempts that failed.</param>
/// <param name="LatencyP50Ms">The median latency of its successful attempts, or <see langword="null"/> with none.</param>
/// <param name="LatencyP95Ms">The 95th percentile latency of its successful attempts, or <see langword="null"/> with none.</param>
/// <param name="Ratings">Feedback ratings received in the window on calls the model answered.</param>
/// <param name="MeanScore">Their mean on the −1 (worst) to 1 (best) scale, or <see langword="null"/> with no feedback.</param>
public sealed record ModelEvidence(string Model, long Attempts, long Failures, double? LatencyP50Ms, double? LatencyP95Ms, long Ratings = 0, decimal? MeanScore = null)
{
    /// <summary>Failures over attempts, or <see langword="null"/> when the log has no attempt on the model.</summary>
    public double? ErrorRate => Attempts == 0 ? null : (double)Failures / Attempts;
}
