namespace Helix.Core.Feedback;

/// <summary>The feedback on one experiment arm's calls, as sums on the −1..1 scale.</summary>
/// <remarks>Each rated call counts once: a call rated several times counts with the mean of its ratings.</remarks>
/// <param name="Arm">The arm the rated calls ran under.</param>
/// <param name="ScoredCalls">How many of its calls were rated.</param>
/// <param name="Sum">The sum of the calls' scores, each from −1 (worst) to 1 (best).</param>
/// <param name="SumOfSquares">The sum of their squares (for the variance).</param>
public sealed record ArmQuality(string Arm, long ScoredCalls, double Sum, double SumOfSquares);
