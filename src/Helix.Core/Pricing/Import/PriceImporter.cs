using System.Text.Json;
using Helix.Core.Audit;
using Helix.Core.Hosting;
using Helix.Core.Pipeline;
using Helix.Core.Principals;

namespace Helix.Core.Pricing.Import;

/// <summary>Plans and applies the import of a LiteLLM price map: the one place that does it, for the admin API and the dashboard alike.</summary>
/// <remarks>
/// A plan changes nothing: each imported price out of bounds (<see cref="PriceEntryValidator"/>) is left out of it and
/// reported. Applying saves the plan's added and changed prices as admin overrides, reloads the price book (so the
/// next call is priced with them) and answers the <c>prices.import</c> change-history entry, with the overrides of
/// those models before and after, for the caller to append (the admin API through its change recorder). Callers check
/// who may do it. Thread-safe.
/// </remarks>
public sealed class PriceImporter(CostEngine costs, IPriceStore store, HelixInitializer initializer, TimeProvider time)
{
    private static readonly JsonSerializerOptions s_moneyAsStrings = new(PriceBookDocument.SerializerOptions)
    {
        Converters = { DecimalStringJsonConverter.Instance },
    };

    /// <summary>What importing <paramref name="utf8Json"/> would add, change and leave unchanged, effective from <paramref name="effectiveFrom"/> (now by default); changes nothing.</summary>
    /// <returns>The preview, or an <c>invalid_price_map</c> error when the text is not UTF-8 or not a LiteLLM price map.</returns>
    public Result<PriceImportPreview> Plan(ReadOnlyMemory<byte> utf8Json, DateTimeOffset? effectiveFrom = null)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json.Span))
        {
            return GatewayError.InvalidRequest("The price map is not valid UTF-8.", "invalid_price_map");
        }

        var now = time.GetUtcNow();
        IReadOnlyList<PriceEntry> imported;
        try
        {
            imported = LiteLlmPriceMap.Parse(utf8Json, DateOnly.FromDateTime(now.UtcDateTime));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return GatewayError.InvalidRequest(ex.Message, "invalid_price_map");
        }

        var refused = new List<string>();
        var accepted = new List<PriceEntry>(imported.Count);
        foreach (var entry in imported)
        {
            var problems = PriceEntryValidator.Problems(entry);
            if (problems.Count == 0)
            {
                accepted.Add(entry);
            }
            else
            {
                refused.AddRange(problems);
            }
        }

        return new PriceImportPreview(PriceImportPlanner.Plan(costs.Book, accepted, effectiveFrom ?? now), refused, Applied: false);
    }

    /// <summary>Saves <paramref name="plan"/>'s added and changed prices as overrides and reloads the price book.</summary>
    /// <returns>The <c>prices.import</c> entry for the change history, or <see langword="null"/> when the plan changes nothing (nothing was saved).</returns>
    public async Task<ChangeRecord?> ApplyAsync(Principal actor, PriceImportPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.HasChanges)
        {
            return null;
        }

        var entries = plan.EntriesToApply;
        var models = entries.Select(e => PriceBook.Key(e.Provider, e.Model)).ToHashSet(StringComparer.Ordinal);
        var before = (await store.GetOverridesAsync(cancellationToken)).Where(e => models.Contains(PriceBook.Key(e.Provider, e.Model))).ToArray();
        await store.SaveOverridesAsync(entries, $"{actor.Id}:import", cancellationToken);
        await initializer.ReloadPricesAsync(cancellationToken);
        return new ChangeRecord(actor.Id, actor.Name, "prices.import", "litellm", before.Length == 0 ? null : BookJson(before), BookJson(entries));
    }

    private static string BookJson(IEnumerable<PriceEntry> entries) => JsonSerializer.Serialize(PriceBookDocument.FromEntries(entries), s_moneyAsStrings);
}
