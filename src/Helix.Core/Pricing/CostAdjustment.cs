namespace Helix.Core.Pricing;

/// <summary>A new cost for a past log row after a price fix; the row itself keeps its original cost.</summary>
/// <param name="LogId">The id of the log row re-priced.</param>
/// <param name="CostUsd">The new cost, or <see langword="null"/> when still unpriced.</param>
/// <param name="CostStatus">The new cost's status.</param>
/// <param name="PriceSource">Where the new price came from.</param>
/// <param name="PriceSourceDate">When that source was read.</param>
/// <param name="Reason">Why the row was re-priced.</param>
/// <param name="At">When the re-pricing happened.</param>
/// <param name="By">Who re-priced.</param>
public sealed record CostAdjustment(
    long LogId, decimal? CostUsd, CostStatus CostStatus, string? PriceSource, DateOnly? PriceSourceDate,
    string Reason, DateTimeOffset At, string By);
