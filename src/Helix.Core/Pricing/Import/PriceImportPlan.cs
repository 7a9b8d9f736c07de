namespace Helix.Core.Pricing.Import;

/// <summary>What importing a set of prices would change, and the override entries that apply it.</summary>
/// <remarks>
/// Immutable. Applying the plan is saving <see cref="EntriesToApply"/> as admin overrides
/// (<see cref="IPriceStore.SaveOverridesAsync"/>): each changed or added model gets a new override period from
/// <see cref="EffectiveFrom"/>, and keeps its earlier override periods, cut at that instant, so past calls keep
/// the prices they were made at.
/// </remarks>
/// <param name="EffectiveFrom">When the imported prices would take effect.</param>
/// <param name="Added">Models the current book does not know.</param>
/// <param name="Changed">Models with at least one differing rate.</param>
/// <param name="Unchanged">Models whose imported rates all match.</param>
/// <param name="Retired">Models the current book no longer prices at <paramref name="EffectiveFrom"/>; not applied.</param>
/// <param name="EntriesToApply">Every override period of each added or changed model, ready for the price store.</param>
public sealed record PriceImportPlan(
    DateTimeOffset EffectiveFrom,
    IReadOnlyList<ModelPriceChange> Added,
    IReadOnlyList<ModelPriceChange> Changed,
    IReadOnlyList<ModelPriceChange> Unchanged,
    IReadOnlyList<ModelPriceChange> Retired,
    IReadOnlyList<PriceEntry> EntriesToApply)
{
    /// <summary>Whether applying the plan would change anything.</summary>
    public bool HasChanges => EntriesToApply.Count > 0;
}
