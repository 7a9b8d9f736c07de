namespace Helix.Core.Pricing;

/// <summary>The price book shipped with Helix, compiled from the providers' published prices.</summary>
/// <remarks>Loaded once from an embedded resource; every source and date is in the data.</remarks>
public static class BuiltInPriceBook
{
    private static readonly Lazy<PriceBookDocument> s_document = new(Load);

    /// <summary>The built-in document.</summary>
    public static PriceBookDocument Document => s_document.Value;

    /// <summary>A new book of the built-in prices.</summary>
    public static PriceBook Create() => Document.ToPriceBook();

    private static PriceBookDocument Load()
    {
        using var stream = typeof(BuiltInPriceBook).Assembly.GetManifestResourceStream("Helix.Core.Pricing.price-book.json")
            ?? throw new InvalidOperationException("The built-in price book resource is missing from Helix.Core.");
        using var reader = new StreamReader(stream);
        return PriceBookDocument.Parse(reader.ReadToEnd());
    }
}
