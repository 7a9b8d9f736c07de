namespace Helix.Core.Pricing.Import;

/// <summary>Compares imported prices with a price book and plans the overrides that would apply them.</summary>
/// <remarks>
/// <para>
/// Each imported model is matched to the book by its exact id, then through the book's alias table (an import
/// that lists both a model and one of its aliases is read from the model's own entry). It is compared with the
/// price in force at the effective date, rate by rate, on the rates the import lists only: a rate the import
/// does not list (LiteLLM has no web-search or storage prices, no time-of-day windows) is "unknown", not "free",
/// and is kept. Reasoning and tool-prompt rates are compared as the calculator applies them (output and input
/// when not set).
/// </para>
/// <para>
/// A changed model's new entry is the price in force with the imported rates laid over it, from the effective
/// date until the end of that price's own period (so a scheduled change or a retirement still happens). A model
/// the book no longer prices at that date is reported as retired and never revived. Pure; thread-safe.
/// </para>
/// </remarks>
public static class PriceImportPlanner
{
    /// <summary>Plans an import.</summary>
    /// <param name="current">The book in force (built-in prices and overrides).</param>
    /// <param name="imported">The imported prices, such as those of <see cref="LiteLlmPriceMap.Parse(string, DateOnly)"/>.</param>
    /// <param name="effectiveFrom">When the imported prices take effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="current"/> or <paramref name="imported"/> is <see langword="null"/>.</exception>
    public static PriceImportPlan Plan(PriceBook current, IEnumerable<PriceEntry> imported, DateTimeOffset effectiveFrom)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(imported);

        var entriesByKey = current.Entries
            .GroupBy(e => PriceBook.Key(e.Provider, e.Model), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        // The canonical key each imported entry prices; an exact id beats an alias of the same model.
        var chosen = new Dictionary<string, (PriceEntry Entry, bool Exact)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var entry in imported)
        {
            ArgumentNullException.ThrowIfNull(entry);
            var key = PriceBook.Key(entry.Provider, entry.Model);
            var exact = true;
            if (!entriesByKey.ContainsKey(key) && current.Aliases.TryGetValue(key, out var canonical) && entriesByKey.ContainsKey(canonical))
            {
                key = canonical;
                exact = false;
            }

            if (!chosen.TryGetValue(key, out var existing))
            {
                order.Add(key);
                chosen[key] = (entry, exact);
            }
            else if (exact && !existing.Exact)
            {
                chosen[key] = (entry, exact);
            }
        }

        List<ModelPriceChange> added = [], changed = [], unchanged = [], retired = [];
        List<PriceEntry> toApply = [];
        foreach (var key in order)
        {
            var importedEntry = chosen[key].Entry;
            var provider = importedEntry.Provider.ToLowerInvariant();
            var importedModel = importedEntry.Model.ToLowerInvariant();
            if (!entriesByKey.TryGetValue(key, out var known))
            {
                added.Add(new(provider, importedModel, importedModel, PriceChangeKind.Added, Diff(null, importedEntry), null, importedEntry));
                toApply.Add(importedEntry with
                {
                    Provider = provider,
                    Model = importedModel,
                    EffectiveFrom = effectiveFrom,
                    EffectiveUntil = null,
                    IsOverride = true,
                });
                continue;
            }

            var model = known[0].Model;
            if (!current.TryFind(known[0].Provider, model, effectiveFrom, out var inForce))
            {
                retired.Add(new(known[0].Provider, model, importedModel, PriceChangeKind.Retired, [], null, importedEntry));
                continue;
            }

            var changes = Diff(inForce, importedEntry);
            if (changes.Count == 0)
            {
                unchanged.Add(new(inForce.Provider, model, importedModel, PriceChangeKind.Unchanged, [], inForce, importedEntry));
                continue;
            }

            changed.Add(new(inForce.Provider, model, importedModel, PriceChangeKind.Changed, changes, inForce, importedEntry));
            var merged = Merge(inForce, importedEntry, effectiveFrom);
            toApply.AddRange(TrimOverrides(known, merged));
            toApply.Add(merged);
        }

        return new PriceImportPlan(effectiveFrom, added, changed, unchanged, retired, toApply);
    }

    private static List<RateChange> Diff(PriceEntry? current, PriceEntry imported)
    {
        var changes = new List<RateChange>();
        foreach (var field in RateFields.All)
        {
            if (Listed(field, imported.Rates, current?.Rates) is { } after)
            {
                Compare(changes, field.Name, current is null ? null : field.Effective(current.Rates), after);
            }
        }

        if (imported.LongContext is { } tier)
        {
            var currentTier = current?.LongContext;
            Compare(changes, "longContext.threshold", currentTier?.ThresholdPromptTokens, tier.ThresholdPromptTokens);
            foreach (var field in RateFields.All)
            {
                if (field.Declared(tier.Rates) is { } after)
                {
                    Compare(changes, "longContext." + field.Name, currentTier is null ? null : field.Effective(currentTier.Rates), after);
                }
            }
        }

        foreach (var (name, tierPrice) in imported.ServiceTiers.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var tierRates = tierPrice.Rates ?? imported.Rates;
            foreach (var field in RateFields.All)
            {
                if (Listed(field, tierRates, current?.Rates) is null)
                {
                    continue;
                }

                Compare(changes, $"serviceTiers.{name}.{field.Name}",
                    current is null ? null : EffectiveTierRate(current, name, field), EffectiveTierRate(imported, name, field));
            }
        }

        return changes;
    }

    // What a call in the tier pays per unit of the field: the tier's rate (or the base rate) times its multiplier.
    private static decimal? EffectiveTierRate(PriceEntry entry, string tier, RateField field)
    {
        if (!entry.ServiceTiers.TryGetValue(tier, out var price))
        {
            return field.Effective(entry.Rates);
        }

        return field.Effective(price.Rates ?? entry.Rates) * (price.Multiplier ?? 1m);
    }

    private static void Compare(List<RateChange> changes, string field, decimal? before, decimal? after)
    {
        if (before != after)
        {
            changes.Add(new RateChange(field, Normalize(before), Normalize(after)));
        }
    }

    // LiteLLM writes 0 for a meter a model is not billed on (an embedding's output); where the book has no rate
    // for that meter it stays unpriced, so that usage nobody expected is flagged rather than free.
    private static decimal? Listed(RateField field, PriceRates imported, PriceRates? current) =>
        field.Declared(imported) is { } value && !(value == 0m && current is not null && field.Effective(current) is null)
            ? value
            : null;

    private static decimal? Normalize(decimal? value) => value is { } v ? LiteLlmPriceMap.Normalize(v) : null;

    private static PriceEntry Merge(PriceEntry current, PriceEntry imported, DateTimeOffset effectiveFrom)
    {
        var rates = current.Rates;
        foreach (var field in RateFields.All)
        {
            if (Listed(field, imported.Rates, current.Rates) is { } value)
            {
                rates = field.Set(rates, value);
            }
        }

        var longContext = current.LongContext;
        if (imported.LongContext is { } tier)
        {
            longContext = new LongContextTier(
                tier.ThresholdPromptTokens, RateFields.Overlay(current.LongContext?.Rates ?? new PriceRates(), tier.Rates));
        }

        var serviceTiers = new Dictionary<string, ServiceTierPrice>(current.ServiceTiers, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, tierPrice) in imported.ServiceTiers)
        {
            var tierRates = tierPrice.Rates ?? imported.Rates;
            var differs = RateFields.All.Any(f =>
                Listed(f, tierRates, current.Rates) is not null && EffectiveTierRate(current, name, f) != EffectiveTierRate(imported, name, f));
            if (differs)
            {
                serviceTiers[name] = tierPrice.Rates is null ? tierPrice : tierPrice with { Rates = RateFields.Overlay(rates, tierPrice.Rates) };
            }
        }

        return current with
        {
            EffectiveFrom = effectiveFrom,
            Rates = rates,
            LongContext = longContext,
            ServiceTiers = serviceTiers,
            Source = imported.Source,
            SourceDate = imported.SourceDate,
            IsOverride = true,
        };
    }

    // The model's earlier override periods, kept up to where the new one starts; later ones it covers are dropped.
    private static IEnumerable<PriceEntry> TrimOverrides(List<PriceEntry> known, PriceEntry merged)
    {
        var from = merged.EffectiveFrom!.Value;
        foreach (var entry in known)
        {
            if (!entry.IsOverride)
            {
                continue;
            }

            var start = entry.EffectiveFrom ?? DateTimeOffset.MinValue;
            if (start < from)
            {
                yield return entry.EffectiveUntil is { } until && until <= from ? entry : entry with { EffectiveUntil = from };
            }
            else if (merged.EffectiveUntil is { } mergedUntil && start >= mergedUntil)
            {
                yield return entry;
            }
        }
    }
}
