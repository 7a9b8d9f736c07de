using Helix.Core.Feedback;
using Npgsql;
using NpgsqlTypes;

namespace Helix.Storage.Postgres;

/// <summary>Feedback on calls in PostgreSQL (table <c>call_feedback</c>, migration 0011).</summary>
/// <remarks>Thread-safe. A feedback row is stored only when the log has a call with its request id, checked by the inserting statement itself.</remarks>
public sealed class PostgresFeedbackStore : IFeedbackStore
{
    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresFeedbackStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<bool> AddAsync(CallFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO call_feedback (request_id, score, quality, comment, principal, at)
            SELECT $1, $2, $3, $4, $5, $6
            WHERE EXISTS (SELECT 1 FROM operation_log WHERE request_id = $1)
            """, connection);
        command.Parameters.AddWithValue(feedback.RequestId);
        command.Parameters.AddWithValue(feedback.Score);
        command.Parameters.AddWithValue(feedback.Quality);
        command.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(feedback.Comment));
        command.Parameters.AddWithValue(feedback.Principal);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(feedback.At));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CallFeedback>> ListAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT request_id, score, quality, comment, principal, at FROM call_feedback WHERE request_id = $1 ORDER BY id", connection);
        command.Parameters.AddWithValue(requestId);
        List<CallFeedback> items = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new CallFeedback(
                reader.GetString(0), reader.GetDecimal(1), reader.GetDecimal(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), PostgresValues.ReadTimestamp(reader.GetDateTime(5))));
        }

        return items;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ArmQuality>> GetArmQualityAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT arm, COUNT(*), SUM(score)::double precision, SUM(score * score)::double precision
            FROM (SELECT l.experiment_arm AS arm, AVG(2 * f.quality - 1) AS score
                  FROM operation_log l JOIN call_feedback f ON f.request_id = l.request_id
                  WHERE l.experiment_id = $1 AND l.attempt = 1 AND l.experiment_arm IS NOT NULL
                  GROUP BY l.experiment_arm, l.request_id) AS rated
            GROUP BY arm ORDER BY arm
            """, connection);
        command.Parameters.AddWithValue(experimentId);
        List<ArmQuality> arms = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            arms.Add(new ArmQuality(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3)));
        }

        return arms;
    }
}
