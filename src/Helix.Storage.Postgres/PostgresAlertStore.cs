using Helix.Core.Alerts;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>Alerts, notifiers and the alert outbox in PostgreSQL.</summary>
/// <remarks>
/// An alert and its outbox rows (one per notifier) are inserted by one statement; a duplicate (its dedupe key
/// already open, or fired once) is dropped by the unique index <c>ux_alerts_dedupe</c>, so concurrent raisers on
/// several instances and restarts cannot make it twice. Thread-safe.
/// </remarks>
public sealed class PostgresAlertStore : IAlertStore
{
    private const string AlertColumns =
        "a.id, a.type, a.severity, a.state, a.scope, a.subject, a.period, a.threshold, a.spent_usd, a.limit_usd, a.calls, " +
        "a.baseline_calls, a.message, a.created_at, a.acknowledged_at, a.resolved_at, a.dedupe_key, a.once";

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresAlertStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<AlertRecord?> TryAddAsync(AlertRecord alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            WITH added AS (
                INSERT INTO alerts (type, severity, state, scope, subject, period, threshold, spent_usd, limit_usd,
                    calls, baseline_calls, message, created_at, dedupe_key, once)
                VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                ON CONFLICT DO NOTHING
                RETURNING id),
            queued AS (
                INSERT INTO alert_outbox (alert_id, notifier, next_at)
                SELECT added.id, n.name, $12 FROM added CROSS JOIN notifiers n)
            SELECT id FROM added
            """, connection);
        command.Parameters.AddWithValue(alert.Type);
        command.Parameters.AddWithValue(alert.Severity);
        command.Parameters.AddWithValue(PostgresValues.OrNull(alert.Scope));
        command.Parameters.AddWithValue(PostgresValues.OrNull(alert.Subject));
        command.Parameters.AddWithValue(PostgresValues.OrNull(alert.Period));
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Numeric, PostgresValues.OrNull(alert.Threshold));
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Numeric, PostgresValues.OrNull(alert.SpentUsd));
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Numeric, PostgresValues.OrNull(alert.LimitUsd));
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, PostgresValues.OrNull(alert.Calls));
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Numeric, PostgresValues.OrNull(alert.BaselineCalls));
        command.Parameters.AddWithValue(alert.Message);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(alert.CreatedAt));
        command.Parameters.AddWithValue(alert.DedupeKey);
        command.Parameters.AddWithValue(alert.Once);
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is long id ? alert with { Id = id, State = AlertState.Open, AcknowledgedAt = null, ResolvedAt = null } : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AlertRecord>> ListAsync(AlertState? state, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT {AlertColumns} FROM alerts a WHERE ($1::text IS NULL OR a.state = $1) ORDER BY a.id DESC LIMIT $2",
            connection);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, state is { } s ? Text(s) : DBNull.Value);
        command.Parameters.AddWithValue(Math.Max(1, limit));
        List<AlertRecord> alerts = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            alerts.Add(ReadAlert(reader, 0));
        }

        return alerts;
    }

    /// <inheritdoc/>
    public async Task<AlertRecord?> AdvanceAsync(long id, AlertState state, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        if (state is AlertState.Resolved or AlertState.Acknowledged)
        {
            await using var update = new NpgsqlCommand(
                state == AlertState.Resolved
                    ? "UPDATE alerts SET state = 'resolved', resolved_at = $2 WHERE id = $1 AND state <> 'resolved'"
                    : "UPDATE alerts SET state = 'acknowledged', acknowledged_at = $2 WHERE id = $1 AND state = 'open'",
                connection);
            update.Parameters.AddWithValue(id);
            update.Parameters.AddWithValue(PostgresValues.Timestamp(at));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = new NpgsqlCommand($"SELECT {AlertColumns} FROM alerts a WHERE a.id = $1", connection);
        select.Parameters.AddWithValue(id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAlert(reader, 0) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<NotifierConfig>> GetNotifiersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT name, kind, url, secret, updated_at FROM notifiers ORDER BY name COLLATE \"C\"", connection);
        List<NotifierConfig> notifiers = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notifiers.Add(ReadNotifier(reader, 0));
        }

        return notifiers;
    }

    /// <inheritdoc/>
    public async Task PutNotifierAsync(NotifierConfig notifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO notifiers (name, kind, url, secret, updated_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url, secret = excluded.secret, updated_at = excluded.updated_at
            """, connection);
        command.Parameters.AddWithValue(notifier.Name);
        command.Parameters.AddWithValue(notifier.Kind.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue(notifier.Url.AbsoluteUri);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, PostgresValues.OrNull(notifier.Secret));
        command.Parameters.AddWithValue(PostgresValues.Timestamp(notifier.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteNotifierAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM notifiers WHERE name = $1", connection);
        command.Parameters.AddWithValue(name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OutboxMessage>> GetDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT o.id, o.attempts, n.name, n.kind, n.url, n.secret, n.updated_at, {AlertColumns}
            FROM alert_outbox o JOIN notifiers n ON n.name = o.notifier JOIN alerts a ON a.id = o.alert_id
            WHERE o.delivered_at IS NULL AND o.next_at <= $1
            ORDER BY o.next_at, o.id LIMIT $2
            """, connection);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(now));
        command.Parameters.AddWithValue(Math.Max(1, limit));
        List<OutboxMessage> due = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new OutboxMessage(reader.GetInt64(0), ReadAlert(reader, 7), ReadNotifier(reader, 2), reader.GetInt32(1)));
        }

        return due;
    }

    /// <inheritdoc/>
    public async Task MarkDeliveredAsync(long id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE alert_outbox SET delivered_at = $2, attempts = attempts + 1 WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task MarkFailedAsync(long id, string error, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE alert_outbox SET attempts = attempts + 1, last_error = $2, next_at = $3 WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(error);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(retryAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Text(AlertState state) => state.ToString().ToLowerInvariant();

    private static AlertRecord ReadAlert(NpgsqlDataReader r, int o) => new()
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
        CreatedAt = PostgresValues.ReadTimestamp(r.GetDateTime(o + 13)),
        AcknowledgedAt = r.IsDBNull(o + 14) ? null : PostgresValues.ReadTimestamp(r.GetDateTime(o + 14)),
        ResolvedAt = r.IsDBNull(o + 15) ? null : PostgresValues.ReadTimestamp(r.GetDateTime(o + 15)),
        DedupeKey = r.GetString(o + 16),
        Once = r.GetBoolean(o + 17),
    };

    private static NotifierConfig ReadNotifier(NpgsqlDataReader r, int o) => new()
    {
        Name = r.GetString(o),
        Kind = Enum.Parse<NotifierKind>(r.GetString(o + 1), ignoreCase: true),
        Url = new Uri(r.GetString(o + 2)),
        Secret = r.IsDBNull(o + 3) ? null : r.GetString(o + 3),
        UpdatedAt = PostgresValues.ReadTimestamp(r.GetDateTime(o + 4)),
    };

    private static decimal? Decimal(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetDecimal(ordinal);
}
