using System.Globalization;
using System.Text.Json;
using Helix.Core.Budgets;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>Budgets in SQLite, and spend read from the operation log by aggregates over its spend index.</summary>
/// <remarks>
/// Spend sums costs as whole nano-dollars in SQL (<c>round(cost_usd × 10⁹)</c>), which is exact for any cost below
/// a million dollars with at most nine decimals; the log itself keeps every digit. Thread-safe.
/// </remarks>
public sealed class SqliteBudgetStore : IBudgetStore
{
    private const string NanosOfCost = "sum(CAST(round(CAST(cost_usd AS REAL) * 1000000000) AS INTEGER))";

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteBudgetStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BudgetConfig>> GetBudgetsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, scope, subject, period, limit_usd, hard, thresholds, time_zone, updated_at FROM budgets ORDER BY id";
        List<BudgetConfig> budgets = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            budgets.Add(new BudgetConfig
            {
                Id = reader.GetInt64(0),
                Scope = Enum.Parse<BudgetScope>(reader.GetString(1), ignoreCase: true),
                Subject = reader.GetString(2),
                Period = Enum.Parse<BudgetPeriod>(reader.GetString(3), ignoreCase: true),
                LimitUsd = SqliteValues.ParseDecimal(reader.GetString(4)),
                Hard = reader.GetBoolean(5),
                Thresholds = [.. JsonSerializer.Deserialize(reader.GetString(6), SqliteJsonContext.Default.StringArray)!.Select(SqliteValues.ParseDecimal)],
                TimeZone = reader.GetString(7),
                UpdatedAt = SqliteValues.ParseTimestamp(reader.GetString(8)),
            });
        }

        return budgets;
    }

    /// <inheritdoc/>
    public Task<BudgetConfig> PutBudgetAsync(BudgetConfig budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var thresholds = JsonSerializer.Serialize([.. budget.Thresholds.Select(SqliteValues.FormatDecimal)], SqliteJsonContext.Default.StringArray);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO budgets (scope, subject, period, limit_usd, hard, thresholds, time_zone, updated_at)
                VALUES ($scope, $subject, $period, $limit, $hard, $thresholds, $zone, $updatedAt)
                ON CONFLICT (scope, subject, period) DO UPDATE SET
                    limit_usd = excluded.limit_usd, hard = excluded.hard, thresholds = excluded.thresholds,
                    time_zone = excluded.time_zone, updated_at = excluded.updated_at
                RETURNING id
                """;
            command.Parameters.AddWithValue("$scope", Text(budget.Scope));
            command.Parameters.AddWithValue("$subject", budget.Subject);
            command.Parameters.AddWithValue("$period", Text(budget.Period));
            command.Parameters.AddWithValue("$limit", SqliteValues.FormatDecimal(budget.LimitUsd));
            command.Parameters.AddWithValue("$hard", budget.Hard);
            command.Parameters.AddWithValue("$thresholds", thresholds);
            command.Parameters.AddWithValue("$zone", budget.TimeZone);
            command.Parameters.AddWithValue("$updatedAt", SqliteValues.FormatTimestamp(budget.UpdatedAt));
            var id = Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            return budget with { Id = id };
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteBudgetAsync(long id, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM budgets WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<long> GetSpendNanosAsync(BudgetScope scope, string subject, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var filter = scope switch
        {
            BudgetScope.Global => "",
            BudgetScope.User => " AND end_user = $subject",
            BudgetScope.Operation => " AND operation = $subject COLLATE NOCASE",
            _ => " AND principal = $subject",
        };
        command.CommandText = $"SELECT coalesce({NanosOfCost}, 0) FROM operation_log WHERE ts_ms >= $from AND ts_ms < $to{filter}";
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$subject", subject);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SpendRow>> GetSpendAsync(SpendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var bucketMs = query.Period == BudgetPeriod.Day
            ? "(ts_ms / 86400000) * 86400000"
            : "CAST(strftime('%s', ts_ms / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000";
        var group = Column(query.GroupBy);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {bucketMs} AS bucket, {group} AS grp, coalesce({NanosOfCost}, 0), sum(attempt = 1), count(*)
            FROM operation_log WHERE ts_ms >= $from AND ts_ms < $to
            GROUP BY bucket, grp ORDER BY bucket, grp
            """;
        command.Parameters.AddWithValue("$from", query.From.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", query.To.ToUnixTimeMilliseconds());
        List<SpendRow> rows = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SpendRow(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
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
        var group = Column(groupBy);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {group} AS grp, (ts_ms / 3600000) * 3600000 AS hour, coalesce({NanosOfCost}, 0), sum(attempt = 1)
            FROM operation_log WHERE ts_ms >= $from AND ts_ms < $to AND {group} IS NOT NULL
            GROUP BY grp, hour ORDER BY grp, hour
            """;
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        List<ActivityBucket> rows = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ActivityBucket(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }

    internal static string Text(BudgetScope scope) => scope.ToString().ToLowerInvariant();

    internal static string Text(BudgetPeriod period) => period.ToString().ToLowerInvariant();

    private static string Column(SpendGrouping grouping) => grouping switch
    {
        SpendGrouping.Operation => "operation",
        SpendGrouping.Model => "model",
        SpendGrouping.User => "end_user",
        _ => "principal",
    };
}
