using System.Text.Json;
using Helix.Core.Audit;
using Helix.Core.Hosting;
using Helix.Core.Pricing;
using Helix.Core.Pricing.Import;
using Helix.Core.Principals;

namespace Helix.Dashboard.Model;

/// <summary>Imports a LiteLLM price map from the dashboard: the same parser, bounds and planner as <c>POST /admin/api/prices/import</c>. Admins only.</summary>
/// <remarks>
/// A plan changes nothing. Applying saves the plan's added and changed prices as admin overrides, effective now,
/// reloads the price book (so the next call is priced with them) and appends <c>prices.import</c> to the change
/// history with the overrides before and after. Thread-safe.
/// </remarks>
public sealed class PriceImports(CostEngine costs, IPriceStore store, HelixInitializer initializer, IChangeHistory history, TimeProvider time)
{
    /// <summary>The largest price map read, in bytes.</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    private static readonly JsonSerializerOptions s_moneyAsStrings = new(PriceBookDocument.SerializerOptions)
    {
        Converters = { DecimalStringJsonConverter.Instance },
    };

    /// <summary>Applies the plan of <paramref name="utf8Json"/> (action <c>prices.import</c>); a plan without changes changes nothing.</summary>
    public async Task<(CommandResult Result, PriceImportPreview? Preview)> ApplyAsync(Principal actor, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        var (result, preview) = Plan(actor, utf8Json);
        if (preview is null || !preview.Plan.HasChanges)
        {
            return (result, preview);
        }

        var entries = preview.Plan.EntriesToApply;
        var models = entries.Select(e => PriceBook.Key(e.Provider, e.Model)).ToHashSet(StringComparer.Ordinal);
        var before = (await store.GetOverridesAsync(cancellationToken)).Where(e => models.Contains(PriceBook.Key(e.Provider, e.Model))).ToArray();
        await store.SaveOverridesAsync(entries, $"{actor.Id}:import", cancellationToken);
        await initializer.ReloadPricesAsync(cancellationToken);
        await history.AppendAsync(
            new ChangeRecord(actor.Id, actor.Name, "prices.import", "litellm", before.Length == 0 ? null : BookJson(before), BookJson(entries)), cancellationToken);
        return (CommandResult.Done, preview with { Applied = true });
    }

    /// <summary>What importing <paramref name="utf8Json"/> would add, change and leave unchanged; changes nothing.</summary>
    public (CommandResult Result, PriceImportPreview? Preview) Plan(Principal actor, ReadOnlyMemory<byte> utf8Json)
    {
        if (DashboardCommands.Refuse(actor, AdminAccess.Administer) is { } refused)
        {
            return (refused, null);
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8Json.Span))
        {
            return (new CommandResult("The price map is not valid UTF-8 text."), null);
        }

        var now = time.GetUtcNow();
        IReadOnlyList<PriceEntry> imported;
        try
        {
            imported = LiteLlmPriceMap.Parse(utf8Json, DateOnly.FromDateTime(now.UtcDateTime));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return (new CommandResult($"Not a LiteLLM price map: {ex.Message}"), null);
        }

        // Each price out of bounds is left out of the plan and reported; the others are planned.
        var problems = new List<string>();
        var accepted = new List<PriceEntry>(imported.Count);
        foreach (var entry in imported)
        {
            var found = PriceEntryValidator.Problems(entry);
            if (found.Count == 0)
            {
                accepted.Add(entry);
            }
            else
            {
                problems.AddRange(found);
            }
        }

        return (CommandResult.Done, new PriceImportPreview(PriceImportPlanner.Plan(costs.Book, accepted, now), problems, Applied: false));
    }

    private static string BookJson(IEnumerable<PriceEntry> entries) => JsonSerializer.Serialize(PriceBookDocument.FromEntries(entries), s_moneyAsStrings);
}
