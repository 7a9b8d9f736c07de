using Helix.Core.Experiments;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>Experiments in SQLite: one row each, its arms in <c>experiment_arms</c>; a unique index keeps one running per operation.</summary>
/// <remarks>Thread-safe. Writes go through the database's writer connection, each in one transaction.</remarks>
public sealed class SqliteExperimentStore : IExperimentStore
{
    private const string SelectSql = """
        SELECT id, operation, status, max_error_rate_increase, max_latency_p95_increase, max_cost_per_call_increase,
               min_calls_per_arm, alpha, created_at, created_by, stopped_at, stopped_by, stop_reason, winner,
               max_quality_decrease
        FROM experiments
        """;

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteExperimentStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ExperimentConfig>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, SelectSql + " ORDER BY created_at DESC, id", null, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ExperimentConfig?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var found = await ReadAsync(connection, SelectSql + " WHERE id = $id", id, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public Task<bool> InsertAsync(ExperimentConfig experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            try
            {
                using (var insert = connection.CreateCommand())
                {
                    insert.Transaction = transaction;
                    insert.CommandText = """
                        INSERT INTO experiments (id, operation, status, max_error_rate_increase, max_latency_p95_increase,
                            max_cost_per_call_increase, min_calls_per_arm, alpha, created_at, created_by, max_quality_decrease)
                        VALUES ($id, $operation, 'running', $err, $lat, $cost, $min, $alpha, $createdAt, $createdBy, $quality)
                        """;
                    var rails = experiment.Guardrails;
                    insert.Parameters.AddWithValue("$id", experiment.Id);
                    insert.Parameters.AddWithValue("$operation", experiment.Operation);
                    insert.Parameters.AddWithValue("$err", SqliteValues.FormatDecimal(rails.MaxErrorRateIncrease));
                    insert.Parameters.AddWithValue("$lat", SqliteValues.FormatDecimal(rails.MaxLatencyP95Increase));
                    insert.Parameters.AddWithValue("$cost", SqliteValues.FormatDecimal(rails.MaxCostPerCallIncrease));
                    insert.Parameters.AddWithValue("$min", rails.MinCallsPerArm);
                    insert.Parameters.AddWithValue("$alpha", SqliteValues.FormatDecimal(rails.Alpha));
                    insert.Parameters.AddWithValue("$createdAt", SqliteValues.FormatTimestamp(experiment.CreatedAt));
                    insert.Parameters.AddWithValue("$createdBy", experiment.CreatedBy);
                    insert.Parameters.AddWithValue("$quality", SqliteValues.FormatDecimal(rails.MaxQualityDecrease));
                    await insert.ExecuteNonQueryAsync(ct);
                }

                for (var i = 0; i < experiment.Arms.Count; i++)
                {
                    var arm = experiment.Arms[i];
                    using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "INSERT INTO experiment_arms (experiment_id, position, name, model, share) VALUES ($id, $position, $name, $model, $share)";
                    command.Parameters.AddWithValue("$id", experiment.Id);
                    command.Parameters.AddWithValue("$position", i);
                    command.Parameters.AddWithValue("$name", arm.Name);
                    command.Parameters.AddWithValue("$model", arm.Model);
                    command.Parameters.AddWithValue("$share", SqliteValues.FormatDecimal(arm.Share));
                    await command.ExecuteNonQueryAsync(ct);
                }

                transaction.Commit();
                return true;
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteErrorCodes.ConstraintUnique)
            {
                return false;
            }
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> StopAsync(ExperimentConfig stopped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stopped);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE experiments SET status = 'stopped', stopped_at = $at, stopped_by = $by, stop_reason = $reason, winner = $winner
                WHERE id = $id AND status = 'running'
                """;
            command.Parameters.AddWithValue("$id", stopped.Id);
            command.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(stopped.StoppedAt ?? throw new ArgumentException("A stopped experiment has a stop time.", nameof(stopped))));
            command.Parameters.AddWithValue("$by", SqliteValues.OrNull(stopped.StoppedBy));
            command.Parameters.AddWithValue("$reason", SqliteValues.OrNull(stopped.StopReason));
            command.Parameters.AddWithValue("$winner", SqliteValues.OrNull(stopped.Winner));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    private static async Task<List<ExperimentConfig>> ReadAsync(SqliteConnection connection, string sql, string? id, CancellationToken cancellationToken)
    {
        List<ExperimentConfig> experiments = [];
        using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            if (id is not null)
            {
                command.Parameters.AddWithValue("$id", id);
            }

            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                experiments.Add(new ExperimentConfig
                {
                    Id = reader.GetString(0),
                    Operation = reader.GetString(1),
                    Status = reader.GetString(2) == "running" ? ExperimentStatus.Running : ExperimentStatus.Stopped,
                    Guardrails = new ExperimentGuardrails
                    {
                        MaxErrorRateIncrease = SqliteValues.ParseDecimal(reader.GetString(3)),
                        MaxLatencyP95Increase = SqliteValues.ParseDecimal(reader.GetString(4)),
                        MaxCostPerCallIncrease = SqliteValues.ParseDecimal(reader.GetString(5)),
                        MinCallsPerArm = reader.GetInt32(6),
                        Alpha = SqliteValues.ParseDecimal(reader.GetString(7)),
                        MaxQualityDecrease = SqliteValues.ParseDecimal(reader.GetString(14)),
                    },
                    CreatedAt = SqliteValues.ParseTimestamp(reader.GetString(8)),
                    CreatedBy = reader.GetString(9),
                    StoppedAt = reader.IsDBNull(10) ? null : SqliteValues.ParseTimestamp(reader.GetString(10)),
                    StoppedBy = reader.IsDBNull(11) ? null : reader.GetString(11),
                    StopReason = reader.IsDBNull(12) ? null : reader.GetString(12),
                    Winner = reader.IsDBNull(13) ? null : reader.GetString(13),
                    Arms = [],
                });
            }
        }

        for (var i = 0; i < experiments.Count; i++)
        {
            using var arms = connection.CreateCommand();
            arms.CommandText = "SELECT name, model, share FROM experiment_arms WHERE experiment_id = $id ORDER BY position";
            arms.Parameters.AddWithValue("$id", experiments[i].Id);
            List<ExperimentArm> list = [];
            using var reader = await arms.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new ExperimentArm(reader.GetString(0), reader.GetString(1), SqliteValues.ParseDecimal(reader.GetString(2))));
            }

            experiments[i] = experiments[i] with { Arms = list };
        }

        return experiments;
    }
}
