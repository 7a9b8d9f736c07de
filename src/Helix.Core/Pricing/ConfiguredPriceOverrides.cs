namespace Helix.Core.Pricing;

/// <summary>Price overrides that come from the host's configuration (a price-book file), not from the admin API.</summary>
/// <remarks>Immutable. They layer over the built-in book; an admin override of the same model wins over them.</remarks>
/// <param name="Entries">The overriding price entries.</param>
public sealed record ConfiguredPriceOverrides(IReadOnlyList<PriceEntry> Entries);
