using System.Globalization;
using Helix.Core.Budgets;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>Budgets in PostgreSQL, and spend read from the hourly rollups of the operation log.</summary>
/// <remarks>
/// <para>
/// Spend never scans the raw log for whole hours: a window is read from <c>operation_log_hourly</c> (kept by a
/// trigger as rows arrive) for the whole UTC hours inside it, and from the raw rows only for the partial hours at its
/// edges (a budget period in a zone with a half-hour offset). Costs are summed as whole nano-dollars
/// (<c>round(cost_usd × 10⁹)</c> per row), exactly like the SQLite store.
/// </para>
/// <para>Thread-safe. A budget change notifies the other instances (<see cref="PostgresChangeChannel"/>).</para>
/// </remarks>
public sealed class PostgresBudgetStore : IBudgetStore
{
    // $1 window start, $2 first whole hour, $3 end of the last whole hour, $4 window end: the dimension's rollups for
    // [$2, $3), raw rows for [$1, $2) and [$3, $4). @dimension is the dimension, @column the raw column that is its subject.
    private const string SourceTemplate = """
        SELECT hour AS t, nullif(subject, '') AS grp, calls, attempts, cost_nanos
        FROM operation_log_hourly WHERE dimension = '@dimension' AND hour >= $2 AND hour < $3
        UNION ALL
        SELECT ts, @column, (attempt = 1)::int::bigint, 1::bigint, coalesce(round(cost_usd * 1000000000), 0)::bigint
        FROM operation_log WHERE (ts >= $1 AND ts < $2) OR (ts >= $3 AND ts < $4)
        """;

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresBudgetStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BudgetConfig>> GetBudgetsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT id, scope, subject, period, limit_usd, hard, thresholds, time_zone, updated_at FROM budgets ORDER BY id", connection);
        List<BudgetConfig> budgets = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            budgets.Add(new BudgetConfig
            {
                Id = reader.GetInt64(0),
                Scope = Enum.Parse<BudgetScope>(reader.GetString(1), ignoreCase: true),
                Subject = reader.GetString(2),
                Period = Enum.Parse<BudgetPeriod>(reader.GetString(3), ignoreCase: true),
                LimitUsd = reader.GetDecimal(4),
                Hard = reader.GetBoolean(5),
                Thresholds = [.. reader.GetFieldValue<string[]>(6).Select(t => decimal.Parse(t, NumberStyles.Number, CultureInfo.InvariantCulture))],
                TimeZone = reader.GetString(7),
                UpdatedAt = PostgresValues.ReadTimestamp(reader.GetDateTime(8)),
            });
        }

        return budgets;
    }

    /// <inheritdoc/>
    public async Task<BudgetConfig> PutBudgetAsync(BudgetConfig budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO budgets (scope, subject, period, limit_usd, hard, thresholds, time_zone, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (scope, subject, period) DO UPDATE SET
                limit_usd = excluded.limit_usd, hard = excluded.hard, thresholds = excluded.thresholds,
                time_zone = excluded.time_zone, updated_at = excluded.updated_at
            RETURNING id
            """);
        upsert.Parameters.AddWithValue(Text(budget.Scope));
        upsert.Parameters.AddWithValue(budget.Subject);
        upsert.Parameters.AddWithValue(Text(budget.Period));
        upsert.Parameters.AddWithValue(budget.LimitUsd);
        upsert.Parameters.AddWithValue(budget.Hard);
        upsert.Parameters.AddWithValue(budget.Thresholds.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray());
        upsert.Parameters.AddWithValue(budget.TimeZone);
        upsert.Parameters.AddWithValue(PostgresValues.Timestamp(budget.UpdatedAt));
        batch.BatchCommands.Add(upsert);
        batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Budgets));
        var id = (long)(await batch.ExecuteScalarAsync(cancellationToken))!;
        return budget with { Id = id };
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteBudgetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var delete = new NpgsqlBatchCommand("DELETE FROM budgets WHERE id = $1");
        delete.Parameters.AddWithValue(id);
        batch.BatchCommands.Add(delete);
        batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Budgets));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return delete.RecordsAffected > 0;
    }

    /// <inheritdoc/>
    public async Task<long> GetSpendNanosAsync(BudgetScope scope, string subject, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var (source, filter) = scope switch
        {
            BudgetScope.Global => (SourceOf("global", "'*'"), ""),
            BudgetScope.User => (SourceOf("user", "end_user"), " WHERE grp = $5"),
            BudgetScope.Operation => (SourceOf("operation", "operation"), " WHERE lower(grp) = lower($5)"),
            _ => (SourceOf("key", "principal"), " WHERE grp = $5"),
        };
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT coalesce(sum(cost_nanos), 0)::bigint FROM ({source}) s{filter}", connection);
        AddWindow(command, from, to);
        command.Parameters.AddWithValue(subject);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SpendRow>> GetSpendAsync(SpendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var unit = query.Period == BudgetPeriod.Day ? "day" : "month";
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT date_trunc('{unit}', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, grp,
                   sum(cost_nanos)::bigint, sum(calls)::bigint, sum(attempts)::bigint
            FROM ({Source(query.GroupBy)}) s
            GROUP BY bucket, grp ORDER BY bucket, grp COLLATE "C" NULLS FIRST
            """, connection);
        AddWindow(command, query.From, query.To);
        List<SpendRow> rows = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SpendRow(
                PostgresValues.ReadTimestamp(reader.GetDateTime(0)),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.GetInt64(4)));
        }

        return rows;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ActivityBucket>> GetHourlyActivityAsync(SpendGrouping groupBy, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT grp, date_trunc('hour', t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, sum(cost_nanos)::bigint, sum(calls)::bigint
            FROM ({Source(groupBy)}) s WHERE grp IS NOT NULL
            GROUP BY grp, hour ORDER BY grp COLLATE "C", hour
            """, connection);
        AddWindow(command, from, to);
        List<ActivityBucket> rows = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ActivityBucket(reader.GetString(0), PostgresValues.ReadTimestamp(reader.GetDateTime(1)), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }

    internal static string Text(BudgetScope scope) => scope.ToString().ToLowerInvariant();

    internal static string Text(BudgetPeriod period) => period.ToString().ToLowerInvariant();

    private static void AddWindow(NpgsqlCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        var start = PostgresValues.Ceiling(from);
        var end = PostgresValues.Ceiling(to);
        var firstHour = CeilingHour(start);
        var lastHour = FloorHour(end);
        if (firstHour >= lastHour)
        {
            // Less than one whole hour: all of it from raw rows.
            firstHour = lastHour = end < start ? start : end;
        }

        command.Parameters.AddWithValue(start);
        command.Parameters.AddWithValue(firstHour);
        command.Parameters.AddWithValue(lastHour);
        command.Parameters.AddWithValue(end);
    }

    private static DateTimeOffset FloorHour(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    private static DateTimeOffset CeilingHour(DateTimeOffset value)
    {
        var floor = FloorHour(value);
        return floor == value ? floor : floor.AddHours(1);
    }

    private static string Source(SpendGrouping grouping) => grouping switch
    {
        SpendGrouping.Operation => SourceOf("operation", "operation"),
        SpendGrouping.Model => SourceOf("model", "model"),
        SpendGrouping.User => SourceOf("user", "end_user"),
        _ => SourceOf("key", "principal"),
    };

    private static string SourceOf(string dimension, string column) =>
        SourceTemplate.Replace("@dimension", dimension, StringComparison.Ordinal).Replace("@column", column, StringComparison.Ordinal);
}
