using System.Globalization;
using Helix.Core.Alerts;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>Alerts, notifiers and the alert outbox in SQLite.</summary>
/// <remarks>
/// An alert and its outbox rows (one per notifier) are inserted in one transaction; a duplicate (its dedupe key
/// already open, or fired once) is dropped by the unique index <c>ux_alerts_dedupe</c>, so concurrent raisers
/// and restarts cannot make it twice. Thread-safe.
/// </remarks>
public sealed class SqliteAlertStore : IAlertStore
{
    private const string AlertColumns =
        "a.id, a.type, a.severity, a.state, a.scope, a.subject, a.period, a.threshold, a.spent_usd, a.limit_usd, a.calls, " +
        "a.baseline_calls, a.message, a.created_at, a.acknowledged_at, a.resolved_at, a.dedupe_key, a.once";

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteAlertStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public Task<AlertRecord?> TryAddAsync(AlertRecord alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return _database.WriteAsync<AlertRecord?>(async (connection, ct) =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            long id;
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT OR IGNORE INTO alerts (type, severity, state, scope, subject, period, threshold, spent_usd, limit_usd,
                        calls, baseline_calls, message, created_at, dedupe_key, once)
                    VALUES ($type, $severity, 'open', $scope, $subject, $period, $threshold, $spent, $limit,
                        $calls, $baselineCalls, $message, $createdAt, $dedupeKey, $once)
                    RETURNING id
                    """;
                insert.Parameters.AddWithValue("$type", alert.Type);
                insert.Parameters.AddWithValue("$severity", alert.Severity);
                insert.Parameters.AddWithValue("$scope", SqliteValues.OrNull(alert.Scope));
                insert.Parameters.AddWithValue("$subject", SqliteValues.OrNull(alert.Subject));
                insert.Parameters.AddWithValue("$period", SqliteValues.OrNull(alert.Period));
                insert.Parameters.AddWithValue("$threshold", SqliteValues.FormatDecimal(alert.Threshold));
                insert.Parameters.AddWithValue("$spent", SqliteValues.FormatDecimal(alert.SpentUsd));
                insert.Parameters.AddWithValue("$limit", SqliteValues.FormatDecimal(alert.LimitUsd));
                insert.Parameters.AddWithValue("$calls", alert.Calls is { } calls ? calls : DBNull.Value);
                insert.Parameters.AddWithValue("$baselineCalls", SqliteValues.FormatDecimal(alert.BaselineCalls));
                insert.Parameters.AddWithValue("$message", alert.Message);
                insert.Parameters.AddWithValue("$createdAt", SqliteValues.FormatTimestamp(alert.CreatedAt));
                insert.Parameters.AddWithValue("$dedupeKey", alert.DedupeKey);
                insert.Parameters.AddWithValue("$once", alert.Once);
                var result = await insert.ExecuteScalarAsync(ct);
                if (result is null or DBNull)
                {
                    transaction.Rollback();
                    return null;
                }

                id = Convert.ToInt64(result, CultureInfo.InvariantCulture);
            }

            using (var outbox = connection.CreateCommand())
            {
                outbox.Transaction = transaction;
                outbox.CommandText = "INSERT INTO alert_outbox (alert_id, notifier, next_at_ms) SELECT $id, name, $now FROM notifiers";
                outbox.Parameters.AddWithValue("$id", id);
                outbox.Parameters.AddWithValue("$now", alert.CreatedAt.ToUnixTimeMilliseconds());
                await outbox.ExecuteNonQueryAsync(ct);
            }

            transaction.Commit();
            return alert with { Id = id, State = AlertState.Open, AcknowledgedAt = null, ResolvedAt = null };
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AlertRecord>> ListAsync(AlertState? state, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AlertColumns} FROM alerts a {(state is null ? "" : "WHERE a.state = $state")} ORDER BY a.id DESC LIMIT $limit";
        if (state is { } s)
        {
            command.Parameters.AddWithValue("$state", Text(s));
        }

        command.Parameters.AddWithValue("$limit", Math.Max(1, limit));
        List<AlertRecord> alerts = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(ReadAlert(reader, 0));
        }

        return alerts;
    }

    /// <inheritdoc/>
    public Task<AlertRecord?> AdvanceAsync(long id, AlertState state, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _database.WriteAsync<AlertRecord?>(async (connection, ct) =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var update = connection.CreateCommand())
            {
                update.Transaction = transaction;
                update.CommandText = state == AlertState.Resolved
                    ? "UPDATE alerts SET state = 'resolved', resolved_at = $at WHERE id = $id AND state <> 'resolved'"
                    : state == AlertState.Acknowledged
                        ? "UPDATE alerts SET state = 'acknowledged', acknowledged_at = $at WHERE id = $id AND state = 'open'"
                        : "SELECT 0";
                update.Parameters.AddWithValue("$id", id);
                update.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(at));
                await update.ExecuteNonQueryAsync(ct);
            }

            AlertRecord? alert = null;
            using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = $"SELECT {AlertColumns} FROM alerts a WHERE a.id = $id";
                select.Parameters.AddWithValue("$id", id);
                using var reader = await select.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    alert = ReadAlert(reader, 0);
                }
            }

            transaction.Commit();
            return alert;
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<NotifierConfig>> GetNotifiersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, kind, url, secret, updated_at FROM notifiers ORDER BY name";
        List<NotifierConfig> notifiers = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notifiers.Add(ReadNotifier(reader, 0));
        }

        return notifiers;
    }

    /// <inheritdoc/>
    public Task PutNotifierAsync(NotifierConfig notifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO notifiers (name, kind, url, secret, updated_at) VALUES ($name, $kind, $url, $secret, $updatedAt)
                ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url, secret = excluded.secret, updated_at = excluded.updated_at
                """;
            command.Parameters.AddWithValue("$name", notifier.Name);
            command.Parameters.AddWithValue("$kind", notifier.Kind.ToString().ToLowerInvariant());
            command.Parameters.AddWithValue("$url", notifier.Url.AbsoluteUri);
            command.Parameters.AddWithValue("$secret", SqliteValues.OrNull(notifier.Secret));
            command.Parameters.AddWithValue("$updatedAt", SqliteValues.FormatTimestamp(notifier.UpdatedAt));
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteNotifierAsync(string name, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM notifiers WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            return await command.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OutboxMessage>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT o.id, o.attempts, n.name, n.kind, n.url, n.secret, n.updated_at, {AlertColumns}
            FROM alert_outbox o JOIN notifiers n ON n.name = o.notifier JOIN alerts a ON a.id = o.alert_id
            WHERE o.delivered_at IS NULL AND o.next_at_ms <= $now
            ORDER BY o.next_at_ms, o.id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", Math.Max(1, limit));
        List<OutboxMessage> due = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new OutboxMessage(reader.GetInt64(0), ReadAlert(reader, 7), ReadNotifier(reader, 2), reader.GetInt32(1)));
        }

        return due;
    }

    /// <inheritdoc/>
    public Task MarkDeliveredAsync(long id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE alert_outbox SET delivered_at = $at, attempts = attempts + 1 WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(at));
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task MarkFailedAsync(long id, string error, DateTimeOffset retryAt, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE alert_outbox SET attempts = attempts + 1, last_error = $error, next_at_ms = $next WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$error", error);
            command.Parameters.AddWithValue("$next", retryAt.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);

    private static string Text(AlertState state) => state.ToString().ToLowerInvariant();

    private static AlertRecord ReadAlert(SqliteDataReader r, int o) => new()
    {
        Id = r.GetInt64(o),
        Type = r.GetString(o + 1),
        Severity = r.GetString(o + 2),
        State = Enum.Parse<AlertState>(r.GetString(o + 3), ignoreCase: true),
        Scope = r.IsDBNull(o + 4) ? null : r.GetString(o + 4),
        Subject = r.IsDBNull(o + 5) ? null : r.GetString(o + 5),
        Period = r.IsDBNull(o + 6) ? null : r.GetString(o + 6),
        Threshold = Decimal(r, o + 7),
        SpentUsd = Decimal(r, o + 8),
        LimitUsd = Decimal(r, o + 9),
        Calls = r.IsDBNull(o + 10) ? null : r.GetInt64(o + 10),
        BaselineCalls = Decimal(r, o + 11),
        Message = r.GetString(o + 12),
        CreatedAt = SqliteValues.ParseTimestamp(r.GetString(o + 13)),
        AcknowledgedAt = r.IsDBNull(o + 14) ? null : SqliteValues.ParseTimestamp(r.GetString(o + 14)),
        ResolvedAt = r.IsDBNull(o + 15) ? null : SqliteValues.ParseTimestamp(r.GetString(o + 15)),
        DedupeKey = r.GetString(o + 16),
        Once = r.GetBoolean(o + 17),
    };

    private static NotifierConfig ReadNotifier(SqliteDataReader r, int o) => new()
    {
        Name = r.GetString(o),
        Kind = Enum.Parse<NotifierKind>(r.GetString(o + 1), ignoreCase: true),
        Url = new Uri(r.GetString(o + 2)),
        Secret = r.IsDBNull(o + 3) ? null : r.GetString(o + 3),
        UpdatedAt = SqliteValues.ParseTimestamp(r.GetString(o + 4)),
    };

    private static decimal? Decimal(SqliteDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : SqliteValues.ParseDecimal(r.GetString(ordinal));
}
