namespace Helix.Core.Reconciliation;

/// <summary>Durable storage of reconciliation reports.</summary>
/// <remarks>Implementations are thread-safe. Reports are immutable once saved.</remarks>
public interface IReconciliationStore
{
    /// <summary>Saves a report and assigns its id.</summary>
    /// <returns>The report as stored, with its <see cref="ReconciliationReport.Id"/>.</returns>
    Task<ReconciliationReport> SaveAsync(ReconciliationReport report, CancellationToken cancellationToken = default);

    /// <summary>The latest reports, newest first.</summary>
    /// <param name="limit">How many reports at most; must be positive.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<ReconciliationReport>> ListAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>One report, or <see langword="null"/> when there is none with the id.</summary>
    Task<ReconciliationReport?> GetAsync(long id, CancellationToken cancellationToken = default);
}
