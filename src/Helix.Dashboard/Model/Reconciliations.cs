using System.Globalization;
using System.Text.Json;
using Helix.Core.Audit;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Principals;
using Helix.Core.Reconciliation;

namespace Helix.Dashboard.Model;

/// <summary>Reconciles a provider's billing export from the dashboard: the same parsers, <see cref="Reconciler"/> and store as <c>POST /admin/api/reconciliations</c>.</summary>
/// <remarks>
/// Uploading needs operate access; every signed-in role reads the stored reports. A report is stored whole and its
/// summary appended to the change history (<c>reconciliation.create</c>). Thread-safe.
/// </remarks>
public sealed class Reconciliations(IOperationLogStore log, IReconciliationStore store, CostEngine costs, IChangeHistory history, TimeProvider time)
{
    /// <summary>The largest export read, in bytes.</summary>
    public const long MaxFileBytes = 64 * 1024 * 1024;

    // Calls are logged with Unix-millisecond timestamps; a day outside these bounds can hold none of them.
    private static readonly DateOnly s_earliestDay = new(1970, 1, 2);
    private static readonly DateOnly s_latestDay = new(9999, 12, 29);

    /// <summary>The providers with a supported export.</summary>
    public static IReadOnlyList<string> Providers => ReconciliationFormats.SupportedProviders;

    /// <summary>The latest stored reports, newest first.</summary>
    public Task<IReadOnlyList<ReconciliationReport>> ListAsync(int limit, CancellationToken cancellationToken = default) =>
        store.ListAsync(Math.Clamp(limit, 1, 200), cancellationToken);

    /// <summary>Compares <paramref name="export"/>, a billing export of <paramref name="provider"/>, with the operation log, and stores the report.</summary>
    /// <param name="actor">Who uploads it: an operator or admin.</param>
    /// <param name="provider">The export's provider: one of <see cref="Providers"/>.</param>
    /// <param name="export">The export's text as the provider gives it.</param>
    /// <param name="tolerance">The relative tolerance per bucket (0.01 = 1%), or <see langword="null"/> for the default.</param>
    /// <param name="cancellationToken">Cancels the reconciliation.</param>
    /// <returns>The outcome and, when done, the stored report.</returns>
    public async Task<(CommandResult Result, ReconciliationReport? Report)> ReconcileAsync(
        Principal actor, string provider, string export, decimal? tolerance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(export);
        if (DashboardCommands.Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return (refused, null);
        }

        var options = new ReconciliationOptions { PriceBook = costs.Book };
        if (tolerance is { } relative)
        {
            if (relative is < 0m or > 1m)
            {
                return (new CommandResult("The tolerance is a fraction from 0 to 1 (0.01 = 1%)."), null);
            }

            options = options with { Tolerance = relative };
        }

        BillingExport parsed;
        try
        {
            parsed = ReconciliationFormats.Get(provider).Parse(export);
        }
        catch (ArgumentException ex)
        {
            return (new CommandResult(ex.Message), null);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or OverflowException or InvalidOperationException)
        {
            return (new CommandResult($"Not a readable {provider} billing export: {ex.Message}"), null);
        }

        if (parsed.Lines.Count == 0 && parsed.From is null)
        {
            return (new CommandResult("The export has no cost lines and no period."), null);
        }

        var from = parsed.From ?? parsed.Lines.Min(l => l.Day);
        var to = parsed.To ?? parsed.Lines.Max(l => l.Day);
        if (from < s_earliestDay || to > s_latestDay || to < from)
        {
            return (new CommandResult(string.Create(CultureInfo.InvariantCulture,
                $"The export's days run from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}; days from {s_earliestDay:yyyy-MM-dd} to {s_latestDay:yyyy-MM-dd}, in order, are accepted.")), null);
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
        }, ReconciliationReport.SerializerOptions);
        await history.AppendAsync(
            new ChangeRecord(actor.Id, actor.Name, "reconciliation.create", saved.Id.ToString(CultureInfo.InvariantCulture), null, summary), cancellationToken);
        return (CommandResult.Done, saved);
    }
}
