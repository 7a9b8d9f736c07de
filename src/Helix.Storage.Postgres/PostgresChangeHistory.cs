using System.Globalization;
using Helix.Core.Audit;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>The change history in PostgreSQL: one row per change, each linked to the one before by its hash.</summary>
/// <remarks>
/// An append locks the table against other appenders (<c>SHARE ROW EXCLUSIVE</c>: readers go on), reads the last
/// entry and inserts the next in one transaction, so two instances appending at once cannot link to the same
/// predecessor. A trigger refuses updates and deletes. Thread-safe.
/// </remarks>
public sealed class PostgresChangeHistory : IChangeHistory
{
    private const string Columns = "id, at, actor_id, actor_name, action, target, before_json, after_json, previous_hash, hash";
    private const int VerifyBatch = 1000;

    private readonly PostgresDatabase _database;

    /// <summary>Creates a history over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresChangeHistory(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<ChangeEntry> AppendAsync(ChangeRecord change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrWhiteSpace(change.ActorId);
        ArgumentException.ThrowIfNullOrWhiteSpace(change.Action);
        ArgumentNullException.ThrowIfNull(change.Target);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE change_history IN SHARE ROW EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        }

        long id = 1;
        var previous = ChangeChain.Genesis;
        await using (var last = new NpgsqlCommand("SELECT id, hash FROM change_history ORDER BY id DESC LIMIT 1", connection, transaction))
        await using (var reader = await last.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                id = reader.GetInt64(0) + 1;
                previous = reader.GetString(1);
            }
        }

        // Microsecond precision: what ChangeChain.FormatTime keeps, so the stored time hashes the same when read back.
        var at = PostgresValues.Timestamp(_database.TimeProvider.GetUtcNow());
        var hash = ChangeChain.HashOf(id, at, change, previous);
        await using (var insert = new NpgsqlCommand($"INSERT INTO change_history ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", connection, transaction))
        {
            insert.Parameters.AddWithValue(id);
            insert.Parameters.AddWithValue(ChangeChain.FormatTime(at));
            insert.Parameters.AddWithValue(change.ActorId);
            insert.Parameters.AddWithValue(change.ActorName);
            insert.Parameters.AddWithValue(change.Action);
            insert.Parameters.AddWithValue(change.Target);
            insert.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, PostgresValues.OrNull(change.Before));
            insert.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, PostgresValues.OrNull(change.After));
            insert.Parameters.AddWithValue(previous);
            insert.Parameters.AddWithValue(hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ChangeEntry(id, at, change, previous, hash);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ChangeEntry>> ListAsync(int limit, long? beforeId = null, string? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {Columns} FROM change_history
            WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR target = $2)
            ORDER BY id DESC LIMIT $3
            """, connection);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, PostgresValues.OrNull(beforeId));
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, PostgresValues.OrNull(target));
        command.Parameters.AddWithValue(limit);
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
            await using var command = new NpgsqlCommand($"SELECT {Columns} FROM change_history WHERE id > $1 ORDER BY id LIMIT $2", connection);
            command.Parameters.AddWithValue(after);
            command.Parameters.AddWithValue(VerifyBatch);
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

    private static async Task<List<ChangeEntry>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<ChangeEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ChangeEntry(
                reader.GetInt64(0),
                DateTimeOffset.ParseExact(reader.GetString(1), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
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
