using System.Text;
using Helix.Core.Insights;
using Helix.Core.OperationLog;

namespace Helix.Storage.Sqlite;

/// <summary>The dashboard's reads in SQLite: the hourly rollups of migration 0013 and indexed lookups of the log.</summary>
/// <remarks>
/// Thread-safe; reads only, on pooled connections that never block the log's writer (WAL). The rollups are kept by
/// a trigger in the transaction that appends the log's rows, so a committed call is in the next read.
/// </remarks>
public sealed class SqliteInsightsStore : IInsightsStore
{
    private const long HourMs = 3_600_000;

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteInsightsStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HourlyUsage>> GetHourlyUsageAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT hour_ms, operation, model, calls, attempts, failures, cost_nanos FROM log_hourly
            WHERE hour_ms >= $from AND hour_ms < $to ORDER BY hour_ms, operation, model
            """;
        AddRange(command, from, to);
        List<HourlyUsage> rows = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new HourlyUsage(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2),
                reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)));
        }

        return rows;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LatencyCount>> GetLatencyAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT hour_ms, model, bucket, count FROM latency_hourly WHERE hour_ms >= $from AND hour_ms < $to ORDER BY hour_ms, model, bucket";
        AddRange(command, from, to);
        List<LatencyCount> rows = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new LatencyCount(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3)));
        }

        return rows;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ModelQuality>> GetQualityAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();

        // The rated answer is the call's successful attempt; feedback is small next to the log, and each rating finds
        // its call through ix_operation_log_request_id.
        command.CommandText = """
            SELECT l.model, count(*), avg(CAST(f.quality AS REAL)) FROM call_feedback f
            JOIN operation_log l ON l.request_id = f.request_id AND l.status = 'success'
            WHERE f.at_ms >= $from AND f.at_ms < $to GROUP BY l.model ORDER BY l.model
            """;
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        List<ModelQuality> rows = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ModelQuality(reader.GetString(0), reader.GetInt64(1), Math.Round((decimal)reader.GetDouble(2), 4)));
        }

        return rows;
    }

    /// <inheritdoc/>
    public async Task<LogPage> SearchAsync(LogSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var limit = Math.Clamp(search.Limit, 1, SqliteOperationLogStore.MaxPageSize);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var sql = new StringBuilder(SqliteOperationLogStore.SelectSql);
        var conjunction = " WHERE ";
        void Filter(string clause, string name, object value)
        {
            sql.Append(conjunction).Append(clause);
            command.Parameters.AddWithValue(name, value);
            conjunction = " AND ";
        }

        if (search.Operation is { Length: > 0 } operation)
        {
            Filter("l.operation = $operation", "$operation", operation);
        }

        if (search.Model is { Length: > 0 } model)
        {
            Filter("l.model = $model", "$model", model);
        }

        if (search.Status is { } status)
        {
            Filter("l.status = $status", "$status", StoredNames.ToText(status));
        }

        if (search.User is { Length: > 0 } user)
        {
            Filter("l.end_user = $user", "$user", user);
        }

        if (search.From is { } from)
        {
            Filter("l.ts_ms >= $from", "$from", from.ToUnixTimeMilliseconds());
        }

        if (search.To is { } to)
        {
            Filter("l.ts_ms < $to", "$to", to.ToUnixTimeMilliseconds());
        }

        if (search.BeforeId is { } beforeId)
        {
            Filter("l.id < $beforeId", "$beforeId", beforeId);
        }

        sql.Append(" ORDER BY l.id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit + 1);
        command.CommandText = sql.ToString();
        List<OperationLogEntry> items = new(Math.Min(limit + 1, 128));
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(SqliteOperationLogStore.Read(reader));
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
        using var command = connection.CreateCommand();
        command.CommandText = SqliteOperationLogStore.SelectSql + " WHERE l.request_id = $request ORDER BY l.attempt, l.id";
        command.Parameters.AddWithValue("$request", requestId);
        List<OperationLogEntry> items = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(SqliteOperationLogStore.Read(reader));
        }

        return items;
    }

    private static void AddRange(Microsoft.Data.Sqlite.SqliteCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        // Hours that start in the range: an hour that began before `from` is left out, one that begins before `to` is in.
        var fromMs = from.ToUnixTimeMilliseconds();
        command.Parameters.AddWithValue("$from", (fromMs + HourMs - 1) / HourMs * HourMs);
        // Hours start on whole milliseconds: hour < to ⟺ hour < to rounded up to the millisecond.
        var toMs = to.ToUnixTimeMilliseconds();
        command.Parameters.AddWithValue("$to", DateTimeOffset.FromUnixTimeMilliseconds(toMs) < to ? toMs + 1 : toMs);
    }
}
