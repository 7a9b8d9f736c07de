using Helix.Core.Pricing;

namespace Helix.Core.Reconciliation;

/// <summary>How a reconciliation compares our costs with a bill.</summary>
/// <remarks>Immutable.</remarks>
public sealed record ReconciliationOptions
{
    /// <summary>The default options: 1% with a $0.0001 floor, the export's own period, no alias table.</summary>
    public static ReconciliationOptions Default { get; } = new();

    /// <summary>The largest accepted difference relative to the billed amount (0.01 is 1%).</summary>
    public decimal Tolerance { get; init; } = 0.01m;

    /// <summary>A difference up to this many USD is accepted whatever its relative size, so that microscopic buckets do not fail on rounding.</summary>
    public decimal AbsoluteToleranceUsd { get; init; } = 0.0001m;

    /// <summary>The first UTC day to compare, overriding the export's period.</summary>
    public DateOnly? From { get; init; }

    /// <summary>The last UTC day (inclusive) to compare, overriding the export's period.</summary>
    public DateOnly? To { get; init; }

    /// <summary>A price book whose aliases map model names on both sides to one canonical model, or <see langword="null"/>.</summary>
    public PriceBook? PriceBook { get; init; }
}
