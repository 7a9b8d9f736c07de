using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Helix.Core.Pricing;

/// <summary>An immutable set of prices, found by provider and by any name a provider uses for a model.</summary>
/// <remarks>
/// Thread-safe. Model names are resolved in this order: as given, lower-cased and without a provider prefix
/// (<c>gemini/</c>, <c>models/</c>, …); through the alias table; then without a dated-snapshot suffix
/// (<c>-2024-08-06</c>, <c>-20250929</c>). Resolved names are memoised so the request path does not re-parse them.
/// Admin overrides are consulted before built-in prices for the same model.
/// </remarks>
public sealed partial class PriceBook
{
    private const int MaxMemoisedNames = 4096;

    private static readonly string[] s_prefixes =
        ["models/", "openai/", "deepseek/", "gemini/", "google/", "vertex_ai/", "anthropic/", "deepgram/", "edge-tts/"];

    private readonly FrozenDictionary<string, PriceEntry[]> _entriesByKey;
    private readonly FrozenDictionary<string, string> _aliases;
    private readonly ConcurrentDictionary<(string Provider, string Model), string?> _resolved = new();

    /// <summary>Creates a book from entries and aliases.</summary>
    /// <param name="entries">Every price entry; overrides are preferred over built-in entries of the same model.</param>
    /// <param name="aliases">Alias keys (<c>provider/alias</c>) to canonical keys (<c>provider/model</c>).</param>
    public PriceBook(IEnumerable<PriceEntry> entries, IEnumerable<KeyValuePair<string, string>>? aliases = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        _entriesByKey = Entries
            .GroupBy(e => Key(e.Provider, e.Model), StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.OrderBy(e => e.IsOverride ? 0 : 1).ThenByDescending(e => e.EffectiveFrom ?? DateTimeOffset.MinValue).ToArray(),
                StringComparer.Ordinal);
        _aliases = (aliases ?? []).ToFrozenDictionary(a => a.Key.ToLowerInvariant(), a => a.Value.ToLowerInvariant(), StringComparer.Ordinal);
        Aliases = _aliases;
    }

    /// <summary>An empty book.</summary>
    public static PriceBook Empty { get; } = new([]);

    /// <summary>Every entry of the book.</summary>
    public IReadOnlyList<PriceEntry> Entries { get; }

    /// <summary>Alias keys to canonical keys, both <c>provider/model</c>.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; }

    /// <summary>Finds the price of <paramref name="model"/> at <paramref name="at"/>.</summary>
    /// <param name="provider">The provider id.</param>
    /// <param name="model">Any name of the model: canonical, alias, dated snapshot, prefixed.</param>
    /// <param name="at">When the call was made.</param>
    /// <param name="entry">The entry in force, when found.</param>
    /// <returns>Whether a price is known.</returns>
    public bool TryFind(string provider, string model, DateTimeOffset at, [NotNullWhen(true)] out PriceEntry? entry)
    {
        entry = null;
        if (string.IsNullOrEmpty(provider) || string.IsNullOrEmpty(model))
        {
            return false;
        }

        if (!_resolved.TryGetValue((provider, model), out var key))
        {
            key = Resolve(provider, model);
            if (_resolved.Count < MaxMemoisedNames)
            {
                _resolved.TryAdd((provider, model), key);
            }
        }

        if (key is null || !_entriesByKey.TryGetValue(key, out var candidates))
        {
            return false;
        }

        foreach (var candidate in candidates)
        {
            if (candidate.AppliesAt(at))
            {
                entry = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the book knows the model at all, at any time.</summary>
    public bool Knows(string provider, string model) => Resolve(provider, model) is not null;

    /// <summary>The canonical <c>provider/model</c> key of a model name, or <see langword="null"/> when unknown.</summary>
    public string? Resolve(string provider, string model)
    {
        var p = provider.Trim().ToLowerInvariant();
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

        return Lookup(p, name) ?? Lookup(p, DatedSuffix().Replace(name, string.Empty));
    }

    /// <summary>A new book with <paramref name="overrides"/> layered over this one's entries.</summary>
    public PriceBook WithOverrides(IEnumerable<PriceEntry> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return new PriceBook(Entries.Where(e => !e.IsOverride).Concat(overrides.Select(o => o with { IsOverride = true })), _aliases);
    }

    /// <summary>The canonical key of a provider and model.</summary>
    public static string Key(string provider, string model) =>
        string.Concat(provider.ToLowerInvariant(), "/", model.ToLowerInvariant());

    private string? Lookup(string provider, string name)
    {
        var key = string.Concat(provider, "/", name);
        if (_entriesByKey.ContainsKey(key))
        {
            return key;
        }

        return _aliases.TryGetValue(key, out var canonical) && _entriesByKey.ContainsKey(canonical) ? canonical : null;
    }

    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|\d{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex DatedSuffix();
}
