namespace Helix.Core.Pricing;

/// <summary>Where admin price overrides and re-pricings of past calls are kept.</summary>
/// <remarks>Append-only: an override change adds a version, a re-pricing adds an adjustment; nothing is updated in place.</remarks>
public interface IPriceStore
{
    /// <summary>The overrides in force (the latest version of each model's prices).</summary>
    Task<IReadOnlyList<PriceEntry>> GetOverridesAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the overrides of the models named in <paramref name="entries"/> with these entries.</summary>
    /// <param name="entries">Every entry of each model being changed (all of its periods).</param>
    /// <param name="changedBy">Who made the change.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    Task SaveOverridesAsync(IReadOnlyList<PriceEntry> entries, string changedBy, CancellationToken cancellationToken = default);

    /// <summary>Removes the overrides of models, so that their other prices (configured or built-in) apply again.</summary>
    /// <param name="modelKeys">The models, as <c>provider/model</c> (<see cref="PriceBook.Key"/>).</param>
    /// <param name="changedBy">Who made the change.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <remarks>A removal is a version too: the history keeps the prices that were removed.</remarks>
    Task RemoveOverridesAsync(IReadOnlyList<string> modelKeys, string changedBy, CancellationToken cancellationToken = default);

    /// <summary>Records new costs for past log rows, keeping the original rows as they were.</summary>
    Task AppendCostAdjustmentsAsync(IReadOnlyList<CostAdjustment> adjustments, CancellationToken cancellationToken = default);
}
