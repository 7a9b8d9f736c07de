using Helix.Core.Experiments;
using Npgsql;
using NpgsqlTypes;

namespace Helix.Storage.Postgres;

/// <summary>Experiments in PostgreSQL: one row each, its arms in <c>experiment_arms</c>; a unique index keeps one running per operation.</summary>
/// <remarks>
/// Thread-safe. Each write is one transaction; the unique index refuses a second running experiment on an operation
/// even when two instances start one at once. A start or stop notifies the other instances
/// (<see cref="PostgresChangeChannel.Experiments"/>), which reload their experiment table.
/// </remarks>
public sealed class PostgresExperimentStore : IExperimentStore
{
    private const string SelectSql = """
        SELECT id, operation, status, max_error_rate_increase, max_latency_p95_increase, max_cost_per_call_increase,
               min_calls_per_arm, alpha, created_at, created_by, stopped_at, stopped_by, stop_reason, winner,
               max_quality_decrease
        FROM experiments
        """;

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresExperimentStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ExperimentConfig>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, SelectSql + " ORDER BY created_at DESC, id COLLATE \"C\"", null, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ExperimentConfig?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var found = await ReadAsync(connection, SelectSql + " WHERE id = $1", id, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<bool> InsertAsync(ExperimentConfig experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO experiments (id, operation, status, max_error_rate_increase, max_latency_p95_increase,
                max_cost_per_call_increase, min_calls_per_arm, alpha, created_at, created_by, max_quality_decrease)
            VALUES ($1, $2, 'running', $3, $4, $5, $6, $7, $8, $9, $10)
            """);
        var rails = experiment.Guardrails;
        insert.Parameters.AddWithValue(experiment.Id);
        insert.Parameters.AddWithValue(experiment.Operation);
        insert.Parameters.AddWithValue(rails.MaxErrorRateIncrease);
        insert.Parameters.AddWithValue(rails.MaxLatencyP95Increase);
        insert.Parameters.AddWithValue(rails.MaxCostPerCallIncrease);
        insert.Parameters.AddWithValue(rails.MinCallsPerArm);
        insert.Parameters.AddWithValue(rails.Alpha);
        insert.Parameters.AddWithValue(PostgresValues.Timestamp(experiment.CreatedAt));
        insert.Parameters.AddWithValue(experiment.CreatedBy);
        insert.Parameters.AddWithValue(rails.MaxQualityDecrease);
        batch.BatchCommands.Add(insert);

        // The arms in one statement over arrays, numbered from 0 (the control) in the given order.
        var arms = new NpgsqlBatchCommand("""
            INSERT INTO experiment_arms (experiment_id, position, name, model, share)
            SELECT $1, a.ordinality - 1, a.name, a.model, a.share
            FROM unnest($2::text[], $3::text[], $4::numeric[]) WITH ORDINALITY AS a(name, model, share, ordinality)
            """);
        arms.Parameters.AddWithValue(experiment.Id);
        arms.Parameters.AddWithValue(experiment.Arms.Select(a => a.Name).ToArray());
        arms.Parameters.AddWithValue(experiment.Arms.Select(a => a.Model).ToArray());
        arms.Parameters.AddWithValue(experiment.Arms.Select(a => a.Share).ToArray());
        batch.BatchCommands.Add(arms);
        batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Experiments));

        // A batch of several statements runs in one implicit transaction: a refused insert stores no arm.
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<bool> StopAsync(ExperimentConfig stopped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stopped);
        var at = stopped.StoppedAt ?? throw new ArgumentException("A stopped experiment has a stop time.", nameof(stopped));
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var update = new NpgsqlBatchCommand("""
            UPDATE experiments SET status = 'stopped', stopped_at = $2, stopped_by = $3, stop_reason = $4, winner = $5
            WHERE id = $1 AND status = 'running'
            """);
        update.Parameters.AddWithValue(stopped.Id);
        update.Parameters.AddWithValue(PostgresValues.Timestamp(at));
        update.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(stopped.StoppedBy));
        update.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(stopped.StopReason));
        update.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(stopped.Winner));
        batch.BatchCommands.Add(update);
        batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Experiments));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return update.RecordsAffected == 1;
    }

    private static async Task<List<ExperimentConfig>> ReadAsync(NpgsqlConnection connection, string sql, string? id, CancellationToken cancellationToken)
    {
        List<ExperimentConfig> experiments = [];
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            if (id is not null)
            {
                command.Parameters.AddWithValue(id);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                experiments.Add(new ExperimentConfig
                {
                    Id = reader.GetString(0),
                    Operation = reader.GetString(1),
                    Status = reader.GetString(2) == "running" ? ExperimentStatus.Running : ExperimentStatus.Stopped,
                    Guardrails = new ExperimentGuardrails
                    {
                        MaxErrorRateIncrease = reader.GetDecimal(3),
                        MaxLatencyP95Increase = reader.GetDecimal(4),
                        MaxCostPerCallIncrease = reader.GetDecimal(5),
                        MinCallsPerArm = reader.GetInt32(6),
                        Alpha = reader.GetDecimal(7),
                        MaxQualityDecrease = reader.GetDecimal(14),
                    },
                    CreatedAt = PostgresValues.ReadTimestamp(reader.GetDateTime(8)),
                    CreatedBy = reader.GetString(9),
                    StoppedAt = reader.IsDBNull(10) ? null : PostgresValues.ReadTimestamp(reader.GetDateTime(10)),
                    StoppedBy = reader.IsDBNull(11) ? null : reader.GetString(11),
                    StopReason = reader.IsDBNull(12) ? null : reader.GetString(12),
                    Winner = reader.IsDBNull(13) ? null : reader.GetString(13),
                    Arms = [],
                });
            }
        }

        if (experiments.Count == 0)
        {
            return experiments;
        }

        // Every listed experiment's arms in one query.
        Dictionary<string, List<ExperimentArm>> arms = experiments.ToDictionary(e => e.Id, _ => new List<ExperimentArm>(), StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT experiment_id, name, model, share FROM experiment_arms WHERE experiment_id = ANY($1) ORDER BY experiment_id, position",
            connection))
        {
            command.Parameters.AddWithValue(arms.Keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                arms[reader.GetString(0)].Add(new ExperimentArm(reader.GetString(1), reader.GetString(2), reader.GetDecimal(3)));
            }
        }

        for (var i = 0; i < experiments.Count; i++)
        {
            experiments[i] = experiments[i] with { Arms = arms[experiments[i].Id] };
        }

        return experiments;
    }
}
