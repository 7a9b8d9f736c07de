using System.Globalization;
using System.Text.Json;
using Helix.Core.Audit;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Principals;

namespace Helix.Core.Reconciliation;

/// <summary>Reconciles a provider's billing export with the operation log and stores the report: the one place that does it, for the admin API and the dashboard alike.</summary>
/// <remarks>
/// The report is stored whole; the answer carries the <c>reconciliation.create</c> change-history entry (what was
/// uploaded and what it found) for the caller to append (the admin API through its change recorder). Callers check
/// who may do it. Thread-safe.
/// </remarks>
public sealed class ReconciliationService(IOperationLogStore log, IReconciliationStore store, CostEngine costs, TimeProvider time)
{
    // Calls are logged with Unix-millisecond timestamps; a day outside these bounds can hold none of them.
    private static readonly DateOnly s_earliestDay = new(1970, 1, 2);
    private static readonly DateOnly s_latestDay = new(9999, 12, 29);

    private static readonly JsonSerializerOptions s_summary = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Compares <paramref name="export"/>, a billing export of <paramref name="provider"/>, with the operation log, and stores the report.</summary>
    /// <param name="actor">Who uploads it.</param>
    /// <param name="provider">The export's provider: one of <see cref="ReconciliationFormats.SupportedProviders"/>.</param>
    /// <param name="export">The export's text as the provider gives it.</param>
    /// <param name="tolerance">The relative tolerance per bucket (0.01 = 1%), or <see langword="null"/> for the default.</param>
    /// <param name="cancellationToken">Cancels the reconciliation.</param>
    /// <returns>
    /// The stored report and its change-history entry; or an error, nothing stored: <c>invalid_tolerance</c>,
    /// <c>unsupported_provider</c>, <c>invalid_billing_export</c> or <c>empty_billing_export</c>.
    /// </returns>
    public async Task<Result<(ReconciliationReport Report, ChangeRecord Change)>> ReconcileAsync(
        Principal actor, string provider, string export, decimal? tolerance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(export);
        var options = new ReconciliationOptions { PriceBook = costs.Book };
        if (tolerance is { } relative)
        {
            if (relative is < 0m or > 1m)
            {
                return GatewayError.InvalidRequest("The tolerance is a fraction from 0 to 1 (0.01 = 1%).", "invalid_tolerance");
            }

            options = options with { Tolerance = relative };
        }

        IBillingExportParser parser;
        try
        {
            parser = ReconciliationFormats.Get(provider);
        }
        catch (ArgumentException ex)
        {
            return GatewayError.InvalidRequest(ex.Message, "unsupported_provider");
        }

        BillingExport parsed;
        try
        {
            parsed = parser.Parse(export);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentOutOfRangeException or OverflowException or InvalidOperationException)
        {
            return GatewayError.InvalidRequest($"Not a readable {provider} billing export: {ex.Message}", "invalid_billing_export");
        }

        if (parsed.Lines.Count == 0 && parsed.From is null)
        {
            return GatewayError.InvalidRequest("The export has no cost lines and no period.", "empty_billing_export");
        }

        var from = parsed.From ?? parsed.Lines.Min(l => l.Day);
        var to = parsed.To ?? parsed.Lines.Max(l => l.Day);
        if (from < s_earliestDay || to > s_latestDay || to < from)
        {
            return GatewayError.InvalidRequest(string.Create(CultureInfo.InvariantCulture,
                $"The export's days run from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}; days from {s_earliestDay:yyyy-MM-dd} to {s_latestDay:yyyy-MM-dd}, in order, are accepted."),
                "invalid_billing_export");
        }

        var ours = new List<OperationLogEntry>();
        await foreach (var entry in log.ReadRangeAsync(
            new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1),
            new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(2),
            cancellationToken))
        {
            ours.Add(entry);
        }

        var saved = await store.SaveAsync(new Reconciler(time).Reconcile(parsed, ours, options), cancellationToken);
        var summary = JsonSerializer.Serialize(new
        {
            id = saved.Id,
            provider = saved.Provider,
            from = saved.From,
            to = saved.To,
            passed = saved.Passed,
            tolerance = saved.Tolerance,
            billedLines = parsed.Lines.Count,
            mispricedModels = saved.MispricedModels,
        }, s_summary);
        return (saved, new ChangeRecord(actor.Id, actor.Name, "reconciliation.create", saved.Id.ToString(CultureInfo.InvariantCulture), null, summary));
    }
}
