namespace Helix.Core.Experiments;

/// <summary>An effect's estimate with the bounds of its always-valid confidence sequence.</summary>
/// <param name="Estimate">The point estimate.</param>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
public sealed record ConfidenceInterval(double Estimate, double Lower, double Upper);
