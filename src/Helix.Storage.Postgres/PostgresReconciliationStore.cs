using System.Text.Json;
using Helix.Core.Reconciliation;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>Reconciliation reports in PostgreSQL, append-only.</summary>
/// <remarks>
/// Each report is one row of <c>reconciliation_reports</c>: the report as JSON (<see cref="ReconciliationReport.ToJson"/>)
/// plus its provider, period, creation time and outcome as columns. The id is the row's. Thread-safe.
/// </remarks>
public sealed class PostgresReconciliationStore : IReconciliationStore
{
    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresReconciliationStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<ReconciliationReport> SaveAsync(ReconciliationReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);

        // The id lives in its column; the JSON never carries a stale one.
        var json = (report with { Id = 0 }).ToJson();
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO reconciliation_reports (provider, period_from, period_to, created_at, passed, json)
            VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING id
            """, connection);
        command.Parameters.AddWithValue(report.Provider);
        command.Parameters.AddWithValue(report.From);
        command.Parameters.AddWithValue(report.To);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(report.CreatedAt));
        command.Parameters.AddWithValue(report.Passed);
        command.Parameters.AddWithValue(json);
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return report with { Id = id };
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    public async Task<IReadOnlyList<ReconciliationReport>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT id, json FROM reconciliation_reports ORDER BY created_at DESC, id DESC LIMIT $1", connection);
        command.Parameters.AddWithValue(limit);
        List<ReconciliationReport> reports = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
        await using var command = new NpgsqlCommand("SELECT id, json FROM reconciliation_reports WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ReconciliationReport Read(NpgsqlDataReader reader)
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
