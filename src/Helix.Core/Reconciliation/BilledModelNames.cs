using System.Text.RegularExpressions;
using Helix.Core.Pricing;

namespace Helix.Core.Reconciliation;

/// <summary>Puts the model and provider names of bills and of the operation log into one spelling, so both sides meet in the same bucket.</summary>
/// <remarks>
/// Follows <see cref="PriceBook.Resolve"/>'s rules without needing the model to be in a book: lower-case, no provider prefix
/// (<c>openai/</c>, <c>models/</c>, …), no dated-snapshot suffix (<c>-2024-07-18</c>, <c>-20250929</c>). Snapshots of one model
/// therefore share a bucket. When a book is given, its aliases are applied afterwards. Stateless and thread-safe.
/// </remarks>
public static partial class BilledModelNames
{
    /// <summary>The model name used when an export does not say which model a charge is for.</summary>
    public const string Unknown = "unknown";

    private static readonly string[] s_prefixes =
        ["models/", "openai/", "deepseek/", "gemini/", "google/", "vertex_ai/", "anthropic/", "deepgram/", "edge-tts/"];

    /// <summary>The Helix provider id of a provider name: lower-case, with <c>google</c> read as <c>gemini</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="provider"/> is empty.</exception>
    public static string NormalizeProvider(string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        var p = provider.Trim().ToLowerInvariant();
        return p is "google" or "vertex_ai" or "vertex" ? "gemini" : p;
    }

    /// <summary>The canonical spelling of a model name, or <see cref="Unknown"/> when there is none.</summary>
    /// <param name="model">Any spelling: prefixed, dated, mixed case.</param>
    public static string Normalize(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return Unknown;
        }

        var name = model.Trim().ToLowerInvariant();
        for (var i = 0; i < s_prefixes.Length; i++)
        {
            // Prefixes stack (`gemini/models/gemini-2.5-flash`) in any order: start over after each one removed.
            if (name.StartsWith(s_prefixes[i], StringComparison.Ordinal))
            {
                name = name[s_prefixes[i].Length..];
                i = -1;
            }
        }

        name = DatedSuffix().Replace(name, string.Empty);
        return name.Length == 0 ? Unknown : name;
    }

    /// <summary>The canonical spelling of a model name, with <paramref name="priceBook"/>'s aliases applied when it knows the model.</summary>
    /// <param name="provider">The Helix provider id.</param>
    /// <param name="model">Any spelling of the model.</param>
    /// <param name="priceBook">A book whose aliases map names to canonical models, or <see langword="null"/>.</param>
    public static string Normalize(string provider, string? model, PriceBook? priceBook)
    {
        var name = Normalize(model);
        if (priceBook is null || name == Unknown)
        {
            return name;
        }

        var key = priceBook.Resolve(provider, name);
        if (key is null)
        {
            return name;
        }

        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return Normalize(slash < 0 ? key : key[(slash + 1)..]);
    }

    /// <summary>The provider's own model id inside a catalog id (<c>provider/model</c>).</summary>
    public static string ModelPart(string catalogId)
    {
        ArgumentNullException.ThrowIfNull(catalogId);
        var slash = catalogId.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? catalogId : catalogId[(slash + 1)..];
    }

    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|\d{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex DatedSuffix();
}
