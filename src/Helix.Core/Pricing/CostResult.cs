namespace Helix.Core.Pricing;

/// <summary>The priced cost of one call.</summary>
/// <param name="Status">How far the cost can be trusted.</param>
/// <param name="TotalUsd">The cost in USD, unrounded; <see langword="null"/> when <see cref="CostStatus.Unpriced"/>.</param>
/// <param name="Breakdown">The cost of each meter.</param>
/// <param name="Price">The price entry used, or <see langword="null"/> when none was found.</param>
/// <param name="Reason">Why the cost is not simply priced (the missing meter, the failure), or <see langword="null"/>.</param>
public readonly record struct CostResult(
    CostStatus Status,
    decimal? TotalUsd,
    CostBreakdown Breakdown,
    PriceEntry? Price,
    string? Reason)
{
    /// <summary>A cost that could not be priced.</summary>
    public static CostResult Unpriced(PriceEntry? price, string reason) => new(CostStatus.Unpriced, null, default, price, reason);

    /// <summary>A failed call the provider does not bill.</summary>
    public static CostResult NotBilled(string reason) => new(CostStatus.NotBilled, 0m, default, null, reason);
}
