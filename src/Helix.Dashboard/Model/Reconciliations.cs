using Helix.Core.Audit;
using Helix.Core.Principals;
using Helix.Core.Reconciliation;

namespace Helix.Dashboard.Model;

/// <summary>Reconciles a provider's billing export from the dashboard through the <see cref="ReconciliationService"/> that <c>POST /admin/api/reconciliations</c> uses.</summary>
/// <remarks>
/// Uploading needs operate access; every signed-in role reads the stored reports. A report is stored whole and its
/// summary appended to the change history (<c>reconciliation.create</c>). Thread-safe.
/// </remarks>
public sealed class Reconciliations(IReconciliationStore store, ReconciliationService reconciliation, IChangeHistory history)
{
    /// <summary>The largest export read, in bytes.</summary>
    public const long MaxFileBytes = 64 * 1024 * 1024;

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

        var result = await reconciliation.ReconcileAsync(actor, provider, export, tolerance, cancellationToken);
        if (!result.IsSuccess)
        {
            return (new CommandResult(result.Error.Message), null);
        }

        var (report, change) = result.Value;
        await history.AppendAsync(change, cancellationToken);
        return (CommandResult.Done, report);
    }
}
