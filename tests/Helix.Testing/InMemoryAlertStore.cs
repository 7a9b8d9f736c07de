using Helix.Core.Alerts;

namespace Helix.Testing;

/// <summary>Alerts, notifiers and the outbox in memory, with the same dedupe and state rules as SQLite.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryAlertStore : IAlertStore
{
    private readonly Lock _gate = new();
    private readonly List<AlertRecord> _alerts = [];
    private readonly SortedDictionary<string, NotifierConfig> _notifiers = new(StringComparer.Ordinal);
    private readonly List<Outbox> _outbox = [];
    private long _nextAlert;
    private long _nextOutbox;

    public Task<AlertRecord?> TryAddAsync(AlertRecord alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_gate)
        {
            if (_alerts.Any(a => a.DedupeKey == alert.DedupeKey && (a.Once || a.State != AlertState.Resolved)))
            {
                return Task.FromResult<AlertRecord?>(null);
            }

            var stored = alert with { Id = ++_nextAlert, State = AlertState.Open, AcknowledgedAt = null, ResolvedAt = null };
            _alerts.Add(stored);
            foreach (var name in _notifiers.Keys)
            {
                _outbox.Add(new Outbox { Id = ++_nextOutbox, AlertId = stored.Id, Notifier = name, NextAt = alert.CreatedAt });
            }

            return Task.FromResult<AlertRecord?>(stored);
        }
    }

    public Task<IReadOnlyList<AlertRecord>> ListAsync(AlertState? state, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AlertRecord>>([.. _alerts.Where(a => state is null || a.State == state).OrderByDescending(a => a.Id).Take(Math.Max(1, limit))]);
        }
    }

    public Task<AlertRecord?> AdvanceAsync(long id, AlertState state, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = _alerts.FindIndex(a => a.Id == id);
            if (index < 0)
            {
                return Task.FromResult<AlertRecord?>(null);
            }

            var alert = _alerts[index];
            if (state == AlertState.Acknowledged && alert.State == AlertState.Open)
            {
                alert = alert with { State = AlertState.Acknowledged, AcknowledgedAt = at };
            }
            else if (state == AlertState.Resolved && alert.State != AlertState.Resolved)
            {
                alert = alert with { State = AlertState.Resolved, ResolvedAt = at };
            }

            _alerts[index] = alert;
            return Task.FromResult<AlertRecord?>(alert);
        }
    }

    public Task<IReadOnlyList<NotifierConfig>> GetNotifiersAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<NotifierConfig>>([.. _notifiers.Values]);
        }
    }

    public Task PutNotifierAsync(NotifierConfig notifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        lock (_gate)
        {
            _notifiers[notifier.Name] = notifier;
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteNotifierAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _outbox.RemoveAll(o => o.Notifier == name);
            return Task.FromResult(_notifiers.Remove(name));
        }
    }

    public Task<IReadOnlyList<OutboxMessage>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<OutboxMessage>>([.. _outbox
                .Where(o => o.DeliveredAt is null && o.NextAt <= now)
                .OrderBy(o => o.NextAt).ThenBy(o => o.Id)
                .Take(Math.Max(1, limit))
                .Select(o => new OutboxMessage(o.Id, _alerts.Single(a => a.Id == o.AlertId), _notifiers[o.Notifier], o.Attempts))]);
        }
    }

    public Task MarkDeliveredAsync(long id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_outbox.Find(o => o.Id == id) is { } row)
            {
                row.DeliveredAt = at;
                row.Attempts++;
            }
        }

        return Task.CompletedTask;
    }

    public Task MarkFailedAsync(long id, string error, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_outbox.Find(o => o.Id == id) is { } row)
            {
                row.Attempts++;
                row.NextAt = retryAt;
                row.LastError = error;
            }
        }

        return Task.CompletedTask;
    }

    private sealed class Outbox
    {
        public long Id { get; init; }

        public long AlertId { get; init; }

        public required string Notifier { get; init; }

        public int Attempts { get; set; }

        public DateTimeOffset NextAt { get; set; }

        public DateTimeOffset? DeliveredAt { get; set; }

        public string? LastError { get; set; }
    }
}
