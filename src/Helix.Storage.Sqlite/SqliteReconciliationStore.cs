using System.Globalization;
using System.Text.Json;
using Helix.Core.Reconciliation;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>Reconciliation reports in SQLite, append-only.</summary>
/// <remarks>
/// Each report is one row of <c>reconciliation_reports</c>: the report as JSON (<see cref="ReconciliationReport.ToJson"/>)
/// plus its provider, period, creation time and outcome as columns. The id is the row's; a report saved twice is two
/// rows. Thread-safe.
/// </remarks>
public sealed class SqliteReconciliationStore : IReconciliationStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteReconciliationStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public Task<ReconciliationReport> SaveAsync(ReconciliationReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);

        // The id lives in its column; the JSON never carries a stale one.
        var json = (report with { Id = 0 }).ToJson();
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO reconciliation_reports (provider, period_from, period_to, created_at, passed, json)
                VALUES ($provider, $from, $to, $createdAt, $passed, $json)
                RETURNING id
                """;
            command.Parameters.AddWithValue("$provider", report.Provider);
            command.Parameters.AddWithValue("$from", SqliteValues.FormatDate(report.From));
            command.Parameters.AddWithValue("$to", SqliteValues.FormatDate(report.To));
            command.Parameters.AddWithValue("$createdAt", SqliteValues.FormatTimestamp(report.CreatedAt));
            command.Parameters.AddWithValue("$passed", report.Passed ? 1 : 0);
            command.Parameters.AddWithValue("$json", json);
            var id = Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            return report with { Id = id };
        }, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    public async Task<IReadOnlyList<ReconciliationReport>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, json FROM reconciliation_reports ORDER BY created_at DESC, id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        List<ReconciliationReport> reports = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            reports.Add(Read(reader));
        }

        return reports;
    }

    /// <inheritdoc/>
    public async Task<ReconciliationReport?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, json FROM reconciliation_reports WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ReconciliationReport Read(SqliteDataReader reader)
    {
        var id = reader.GetInt64(0);
        try
        {
            return ReconciliationReport.FromJson(reader.GetString(1)) with { Id = id };
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Reconciliation report {id} is not a report this build can read; it was written by a newer or foreign build.", ex);
        }
    }
}
