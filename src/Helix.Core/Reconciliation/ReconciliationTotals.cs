namespace Helix.Core.Reconciliation;

/// <summary>The sums of a reconciliation over every compared bucket.</summary>
/// <remarks>Immutable. Sums are taken before any rounding.</remarks>
public sealed record ReconciliationTotals
{
    /// <summary>Our cost in USD.</summary>
    public required decimal OursUsd { get; init; }

    /// <summary>The billed amount in USD.</summary>
    public required decimal TheirsUsd { get; init; }

    /// <summary>Ours minus theirs, in USD.</summary>
    public required decimal DifferenceUsd { get; init; }

    /// <summary>The difference relative to theirs, in percent, rounded to 4 places (100 when theirs is 0 and ours is not).</summary>
    public required decimal DifferencePercent { get; init; }

    /// <summary>Whether the difference is within the relative tolerance or the absolute floor.</summary>
    public required bool WithinTolerance { get; init; }
}
