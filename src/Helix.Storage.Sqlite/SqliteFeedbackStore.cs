using Helix.Core.Feedback;

namespace Helix.Storage.Sqlite;

/// <summary>Feedback on calls in SQLite (table <c>call_feedback</c>, migration 0013).</summary>
/// <remarks>Thread-safe. A feedback row is stored only when the log has a call with its request id, checked in the same transaction.</remarks>
public sealed class SqliteFeedbackStore : IFeedbackStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteFeedbackStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public Task<bool> AddAsync(CallFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO call_feedback (request_id, score, quality, comment, principal, at, at_ms)
                SELECT $request, $score, $quality, $comment, $principal, $at, $atMs
                WHERE EXISTS (SELECT 1 FROM operation_log WHERE request_id = $request)
                """;
            command.Parameters.AddWithValue("$request", feedback.RequestId);
            command.Parameters.AddWithValue("$score", SqliteValues.FormatDecimal(feedback.Score));
            command.Parameters.AddWithValue("$quality", SqliteValues.FormatDecimal(feedback.Quality));
            command.Parameters.AddWithValue("$comment", SqliteValues.OrNull(feedback.Comment));
            command.Parameters.AddWithValue("$principal", feedback.Principal);
            command.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(feedback.At));
            command.Parameters.AddWithValue("$atMs", feedback.At.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<CallFeedback>> ListAsync(string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id, score, quality, comment, principal, at FROM call_feedback WHERE request_id = $request ORDER BY id";
        command.Parameters.AddWithValue("$request", requestId);
        List<CallFeedback> items = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new CallFeedback(
                reader.GetString(0), SqliteValues.ParseDecimal(reader.GetString(1)), SqliteValues.ParseDecimal(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), SqliteValues.ParseTimestamp(reader.GetString(5))));
        }

        return items;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ArmQuality>> GetArmQualityAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experimentId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT arm, COUNT(*), SUM(score), SUM(score * score)
            FROM (SELECT l.experiment_arm AS arm, AVG(2.0 * CAST(f.quality AS REAL) - 1.0) AS score
                  FROM operation_log l JOIN call_feedback f ON f.request_id = l.request_id
                  WHERE l.experiment_id = $experiment AND l.attempt = 1 AND l.experiment_arm IS NOT NULL
                  GROUP BY l.experiment_arm, l.request_id)
            GROUP BY arm ORDER BY arm
            """;
        command.Parameters.AddWithValue("$experiment", experimentId);
        List<ArmQuality> arms = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            arms.Add(new ArmQuality(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3)));
        }

        return arms;
    }
}
