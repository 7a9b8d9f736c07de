namespace Helix.Core.Pricing;

/// <summary>What a re-pricing of past calls did.</summary>
/// <param name="Examined">Rows read in the range that passed the filter.</param>
/// <param name="Changed">Rows whose cost changed, each given a <see cref="CostAdjustment"/>.</param>
/// <param name="StillUnpriced">Rows with known usage the current book still cannot price (they keep their cost).</param>
/// <param name="Skipped">Rows not re-priced: usage unknown (estimated) or not billed.</param>
/// <param name="DeltaUsd">The sum of new minus previous cost over the changed rows (a previously unpriced row counts from 0).</param>
public sealed record RepriceResult(int Examined, int Changed, int StillUnpriced, int Skipped, decimal DeltaUsd);
