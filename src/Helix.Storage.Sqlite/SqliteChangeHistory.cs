using Helix.Core.Audit;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>The change history in SQLite: one row per change, each linked to the one before by its hash.</summary>
/// <remarks>
/// An append reads the last entry and inserts the next one in one immediate transaction on the writer connection,
/// so two concurrent appends cannot link to the same predecessor. Triggers refuse updates and deletes. Thread-safe.
/// </remarks>
public sealed class SqliteChangeHistory : IChangeHistory
{
    private const string Columns = "id, at, actor_id, actor_name, action, target, before_json, after_json, previous_hash, hash";
    private const int VerifyBatch = 1000;

    private readonly SqliteDatabase _database;

    /// <summary>Creates a history over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteChangeHistory(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public Task<ChangeEntry> AppendAsync(ChangeRecord change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrWhiteSpace(change.ActorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(change.Action);
        ArgumentNullException.ThrowIfNull(change.Target);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            long id = 1;
            var previous = ChangeChain.Genesis;
            using (var last = connection.CreateCommand())
            {
                last.Transaction = transaction;
                last.CommandText = "SELECT id, hash FROM change_history ORDER BY id DESC LIMIT 1";
                using var reader = await last.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    id = reader.GetInt64(0) + 1;
                    previous = reader.GetString(1);
                }
            }

            // Microsecond precision: what ChangeChain.FormatTime keeps, so the stored time hashes the same when read back.
            var now = _database.TimeProvider.GetUtcNow();
            var at = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
            var hash = ChangeChain.HashOf(id, at, change, previous);
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = $"INSERT INTO change_history ({Columns}) VALUES ($id, $at, $actorId, $actorName, $action, $target, $before, $after, $previous, $hash)";
                insert.Parameters.AddWithValue("$id", id);
                insert.Parameters.AddWithValue("$at", ChangeChain.FormatTime(at));
                insert.Parameters.AddWithValue("$actorId", change.ActorId);
                insert.Parameters.AddWithValue("$actorName", change.ActorName);
                insert.Parameters.AddWithValue("$action", change.Action);
                insert.Parameters.AddWithValue("$target", change.Target);
                insert.Parameters.AddWithValue("$before", SqliteValues.OrNull(change.Before));
                insert.Parameters.AddWithValue("$after", SqliteValues.OrNull(change.After));
                insert.Parameters.AddWithValue("$previous", previous);
                insert.Parameters.AddWithValue("$hash", hash);
                await insert.ExecuteNonQueryAsync(ct);
            }

            transaction.Commit();
            return new ChangeEntry(id, at, change, previous, hash);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ChangeEntry>> ListAsync(int limit, long? beforeId = null, string? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM change_history
            WHERE ($before IS NULL OR id < $before) AND ($target IS NULL OR target = $target)
            ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$before", beforeId is { } b ? b : DBNull.Value);
        command.Parameters.AddWithValue("$target", SqliteValues.OrNull(target));
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ChangeEntry>> ListAsync(ChangeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM change_history
            WHERE ($before IS NULL OR id < $before) AND ($target IS NULL OR target = $target) AND ($action IS NULL OR action = $action)
                AND ($actor IS NULL OR actor_id = $actor OR actor_name = $actor)
            ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$before", query.BeforeId is { } b ? b : DBNull.Value);
        command.Parameters.AddWithValue("$target", SqliteValues.OrNull(query.Target));
        command.Parameters.AddWithValue("$action", SqliteValues.OrNull(query.Action));
        command.Parameters.AddWithValue("$actor", SqliteValues.OrNull(query.Actor));
        command.Parameters.AddWithValue("$limit", query.Limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        // In batches in id order, so memory stays bounded however long the history is.
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var verifier = new ChangeChainVerifier();
        var after = 0L;
        while (true)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM change_history WHERE id > $after ORDER BY id LIMIT $limit";
            command.Parameters.AddWithValue("$after", after);
            command.Parameters.AddWithValue("$limit", VerifyBatch);
            var batch = await ReadAsync(command, cancellationToken);
            foreach (var entry in batch)
            {
                if (!verifier.Add(entry))
                {
                    return verifier.Result;
                }
            }

            if (batch.Count < VerifyBatch)
            {
                return verifier.Result;
            }

            after = batch[^1].Id;
        }
    }

    private static async Task<List<ChangeEntry>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<ChangeEntry>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ChangeEntry(
                reader.GetInt64(0),
                SqliteValues.ParseTimestamp(reader.GetString(1)),
                new ChangeRecord(
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7)),
                reader.GetString(8),
                reader.GetString(9)));
        }

        return entries;
    }
}
