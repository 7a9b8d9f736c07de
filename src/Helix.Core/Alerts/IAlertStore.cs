namespace Helix.Core.Alerts;

/// <summary>Durable alerts with their states, the notifiers, and the outbox of deliveries.</summary>
/// <remarks>
/// Implementations are thread-safe. <see cref="TryAddAsync"/> stores an alert and queues it for every notifier in one
/// transaction, so an alert is never stored without its deliveries nor delivered without being stored.
/// </remarks>
public interface IAlertStore
{
    /// <summary>Stores an alert unless one with its dedupe key is open (or, for <see cref="AlertRecord.Once"/>, exists at all).</summary>
    /// <returns>The stored alert, or <see langword="null"/> when it was a duplicate.</returns>
    Task<AlertRecord?> TryAddAsync(AlertRecord alert, CancellationToken cancellationToken = default);

    /// <summary>Alerts, newest first, optionally only those in <paramref name="state"/>.</summary>
    Task<IReadOnlyList<AlertRecord>> ListAsync(AlertState? state, int limit, CancellationToken cancellationToken = default);

    /// <summary>Moves an alert forward (open → acknowledged → resolved; open → resolved).</summary>
    /// <returns>The alert after the change; unchanged if it was already there or past it; <see langword="null"/> if there is none.</returns>
    Task<AlertRecord?> AdvanceAsync(long id, AlertState state, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Every notifier, by name.</summary>
    Task<IReadOnlyList<NotifierConfig>> GetNotifiersAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a notifier.</summary>
    Task PutNotifierAsync(NotifierConfig notifier, CancellationToken cancellationToken = default);

    /// <summary>Deletes a notifier and its pending deliveries; false when there is none.</summary>
    Task<bool> DeleteNotifierAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Undelivered outbox rows due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Marks a delivery done.</summary>
    Task MarkDeliveredAsync(long id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records a failed delivery and when to try again.</summary>
    Task MarkFailedAsync(long id, string error, DateTimeOffset retryAt, CancellationToken cancellationToken = default);
}
