namespace Helix.Core.Pricing.Import;

/// <summary>What an import would do to one model's prices, field by field.</summary>
/// <param name="Provider">The provider id.</param>
/// <param name="Model">The model as the current book names it (the canonical id when the import used an alias).</param>
/// <param name="ImportedModel">The model as the import named it.</param>
/// <param name="Kind">Added, changed, unchanged or retired.</param>
/// <param name="Changes">
/// For <see cref="PriceChangeKind.Changed"/>, every differing rate; for <see cref="PriceChangeKind.Added"/>, every
/// imported rate (with no before); empty otherwise.
/// </param>
/// <param name="Current">The price in force at the effective date, or <see langword="null"/>.</param>
/// <param name="Imported">The price as imported.</param>
public sealed record ModelPriceChange(
    string Provider,
    string Model,
    string ImportedModel,
    PriceChangeKind Kind,
    IReadOnlyList<RateChange> Changes,
    PriceEntry? Current,
    PriceEntry Imported);
