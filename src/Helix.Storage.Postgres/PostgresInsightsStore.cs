using System.Text;
using Helix.Core.Insights;
using Helix.Core.OperationLog;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>The dashboard's reads in PostgreSQL: the hourly rollups of migration 0014 and indexed lookups of the log.</summary>
/// <remarks>
/// Thread-safe; reads only. The charts read <c>operation_model_hourly</c> and <c>latency_hourly</c>, kept by a trigger
/// in the transaction that appends the log's rows (so a committed call is in the next read), never the log's raw
/// rows; the log page and a call's attempts are index lookups (<c>id</c>, <c>model, id</c>, <c>request_id</c>).
/// Answers are those of the SQLite store for the same rows (the conformance suite holds them together).
/// </remarks>
public sealed class PostgresInsightsStore : IInsightsStore
{
    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresInsightsStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HourlyUsage>> GetHourlyUsageAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT hour, operation, model, calls, attempts, failures, cost_nanos FROM operation_model_hourly
            WHERE hour >= $1 AND hour < $2 ORDER BY hour, operation, model
            """, connection);
        AddRange(command, from, to);
        List<HourlyUsage> rows = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new HourlyUsage(
                PostgresValues.ReadTimestamp(reader.GetDateTime(0)), reader.GetString(1), reader.GetString(2),
                reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        }

        return rows;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LatencyCount>> GetLatencyAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT hour, model, bucket, count FROM latency_hourly
            WHERE hour >= $1 AND hour < $2 ORDER BY hour, model, bucket
            """, connection);
        AddRange(command, from, to);
        List<LatencyCount> rows = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LatencyCount(PostgresValues.ReadTimestamp(reader.GetDateTime(0)), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3)));
        }

        return rows;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ModelQuality>> GetQualityAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);

        // The rated answer is the call's successful attempt; feedback is small next to the log, and each rating finds
        // its call through ix_operation_log_request_id.
        await using var command = new NpgsqlCommand("""
            SELECT l.model, count(*), avg(f.quality::numeric) FROM call_feedback f
            JOIN operation_log l ON l.request_id = f.request_id AND l.status = 'success'
            WHERE f.at >= $1 AND f.at < $2 GROUP BY l.model ORDER BY l.model COLLATE "C"
            """, connection);
        command.Parameters.AddWithValue(PostgresValues.Ceiling(from));
        command.Parameters.AddWithValue(PostgresValues.Ceiling(to));
        List<ModelQuality> rows = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ModelQuality(reader.GetString(0), reader.GetInt64(1), Math.Round(reader.GetDecimal(2), 4)));
        }

        return rows;
    }

    /// <inheritdoc/>
    public async Task<LogPage> SearchAsync(LogSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var limit = Math.Clamp(search.Limit, 1, PostgresOperationLogStore.MaxPageSize);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder(PostgresOperationLogStore.SelectSql);
        var conjunction = " WHERE ";
        void Filter(string clause, object value)
        {
            command.Parameters.AddWithValue(value);
            sql.Append(conjunction).Append(clause).Append(" $").Append(command.Parameters.Count);
            conjunction = " AND ";
        }

        if (search.Operation is { Length: > 0 } operation)
        {
            Filter("l.operation =", operation);
        }

        if (search.Model is { Length: > 0 } model)
        {
            Filter("l.model =", model);
        }

        if (search.Status is { } status)
        {
            Filter("l.status =", StoredNames.ToText(status));
        }

        if (search.User is { Length: > 0 } user)
        {
            Filter("l.end_user =", user);
        }

        // Stored instants are whole microseconds: t >= from ⟺ t >= ceil(from), and likewise for the end.
        if (search.From is { } from)
        {
            Filter("l.ts >=", PostgresValues.Ceiling(from));
        }

        if (search.To is { } to)
        {
            Filter("l.ts <", PostgresValues.Ceiling(to));
        }

        if (search.BeforeId is { } beforeId)
        {
            Filter("l.id <", beforeId);
        }

        // One row more than asked tells whether another page exists without a second query.
        command.Parameters.AddWithValue(limit + 1);
        sql.Append(" ORDER BY l.id DESC LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();
        List<OperationLogEntry> items = new(Math.Min(limit + 1, 128));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(PostgresOperationLogStore.Read(reader));
            }
        }

        if (items.Count <= limit)
        {
            return new LogPage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        return new LogPage(items, items[^1].Id);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OperationLogEntry>> GetCallAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(PostgresOperationLogStore.SelectSql + " WHERE l.request_id = $1 ORDER BY l.attempt, l.id", connection);
        command.Parameters.AddWithValue(requestId);
        List<OperationLogEntry> items = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(PostgresOperationLogStore.Read(reader));
        }

        return items;
    }

    private static void AddRange(NpgsqlCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        // Hours that start in the range: an hour that began before `from` is left out, one that begins before `to` is in.
        const long hourMs = 3_600_000;
        var fromMs = from.ToUnixTimeMilliseconds();
        command.Parameters.AddWithValue(DateTimeOffset.FromUnixTimeMilliseconds((fromMs + hourMs - 1) / hourMs * hourMs));
        command.Parameters.AddWithValue(PostgresValues.Ceiling(to));
    }
}
