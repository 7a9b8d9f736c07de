namespace Helix.Core.Reconciliation;

/// <summary>Maps Cloud Billing SKU descriptions to Gemini model ids with a table of patterns, the longest match first.</summary>
/// <remarks>
/// Immutable and thread-safe. The SKU names Google uses are not published in one place; extend the table with
/// <see cref="GeminiSkuTable(IEnumerable{GeminiSkuPattern})"/> when a bill shows an <c>unknown:…</c> model.
/// </remarks>
public sealed class GeminiSkuTable
{
    private readonly (string Words, string Model)[] _patterns;

    /// <summary>Creates a table.</summary>
    /// <exception cref="ArgumentException">A pattern or model is empty.</exception>
    public GeminiSkuTable(IEnumerable<GeminiSkuPattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        Patterns = [.. patterns];
        foreach (var p in Patterns)
        {
            if (string.IsNullOrWhiteSpace(p.Pattern) || string.IsNullOrWhiteSpace(p.Model))
            {
                throw new ArgumentException("Every SKU pattern needs pattern words and a model id.", nameof(patterns));
            }
        }

        _patterns = [.. Patterns
            .Select(p => (Words: Words(p.Pattern), Model: p.Model.Trim().ToLowerInvariant()))
            .OrderByDescending(p => p.Words.Length)];
    }

    /// <summary>The Gemini models of the built-in price book, and their predecessors still seen on bills.</summary>
    public static GeminiSkuTable Default { get; } = new(
    [
        new("Gemini 3 Pro Image", "gemini-3-pro-image-preview"),
        new("Gemini 3 Pro", "gemini-3-pro-preview"),
        new("Gemini 3 Flash", "gemini-3-flash-preview"),
        new("Gemini 2.5 Pro", "gemini-2.5-pro"),
        new("Gemini 2.5 Flash Lite", "gemini-2.5-flash-lite"),
        new("Gemini 2.5 Flash Image", "gemini-2.5-flash-image"),
        new("Gemini 2.5 Flash", "gemini-2.5-flash"),
        new("Gemini 2.0 Flash Lite", "gemini-2.0-flash-lite"),
        new("Gemini 2.0 Flash", "gemini-2.0-flash"),
        new("Gemini 1.5 Pro", "gemini-1.5-pro"),
        new("Gemini 1.5 Flash 8B", "gemini-1.5-flash-8b"),
        new("Gemini 1.5 Flash", "gemini-1.5-flash"),
        new("Gemini Embedding", "gemini-embedding-001"),
    ]);

    /// <summary>The patterns, in the order given.</summary>
    public IReadOnlyList<GeminiSkuPattern> Patterns { get; }

    /// <summary>The model a SKU description is for, or <see langword="null"/> when no pattern matches.</summary>
    public string? Match(string skuDescription)
    {
        ArgumentNullException.ThrowIfNull(skuDescription);
        var sku = " " + Words(skuDescription) + " ";
        foreach (var (words, model) in _patterns)
        {
            if (sku.Contains(" " + words + " ", StringComparison.Ordinal))
            {
                return model;
            }
        }

        return null;
    }

    // Letters, digits and the dot of a version number are kept; anything else separates words.
    private static string Words(string text) =>
        string.Join(' ', string.Concat(text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : ' '))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
