using System.Text.Json.Serialization;

namespace Helix.Core.Pricing.Import;

/// <summary>What an import would do to one model's prices.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PriceChangeKind>))]
public enum PriceChangeKind
{
    /// <summary>The current book does not know the model; the import adds it.</summary>
    Added,

    /// <summary>At least one rate differs from the price in force; the import overrides it.</summary>
    Changed,

    /// <summary>Every rate the import lists equals the price in force; nothing to apply.</summary>
    Unchanged,

    /// <summary>The current book knows the model but prices it no more at the effective date; never revived by an import.</summary>
    Retired,
}
