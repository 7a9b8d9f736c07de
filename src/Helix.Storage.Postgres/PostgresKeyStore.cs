using Helix.Core.Principals;
using Npgsql;
using NpgsqlTypes;

namespace Helix.Storage.Postgres;

/// <summary>API keys in PostgreSQL (migration 0009): their hashes, never the keys; revoked, never deleted.</summary>
/// <remarks>
/// Thread-safe. A key created or revoked notifies the other instances (<see cref="PostgresChangeChannel.Keys"/>) in
/// the change's transaction, so a key revoked through one instance is refused by every other within a moment.
/// Last-used times arrive in batches and only move forward.
/// </remarks>
public sealed class PostgresKeyStore : IKeyStore
{
    private const string Columns = "id, name, role, operations, requests_per_minute, key_hash, created_at, created_by, last_used_at, revoked_at";

    private const string UniqueViolation = "23505";

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresKeyStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand($"INSERT INTO api_keys ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        insert.Parameters.AddWithValue(key.Id);
        insert.Parameters.AddWithValue(key.Name);
        insert.Parameters.AddWithValue(PrincipalRoles.Name(key.Role));
        insert.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, key.Operations is null ? DBNull.Value : key.Operations.ToArray());
        insert.Parameters.AddWithValue(NpgsqlDbType.Integer, PostgresValues.OrNull(key.RequestsPerMinute));
        insert.Parameters.AddWithValue(key.Hash.ToArray());
        insert.Parameters.AddWithValue(PostgresValues.Timestamp(key.CreatedAt));
        insert.Parameters.AddWithValue(key.CreatedBy);
        insert.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, PostgresValues.Timestamp(key.LastUsedAt));
        insert.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, PostgresValues.Timestamp(key.RevokedAt));
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Keys));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            throw new InvalidOperationException("A key with this id or hash exists already.", ex);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM api_keys ORDER BY created_at, id COLLATE \"C\"", connection);
        return await ReadAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<(ApiKeyRecord Before, ApiKeyRecord After)?> UpdateAsync(string id, ApiKeyEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return ChangeAsync(id, key => key with { Name = edit.Name, Role = edit.Role, Operations = edit.Operations, RequestsPerMinute = edit.RequestsPerMinute }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<(ApiKeyRecord Before, ApiKeyRecord After)?> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, key => key with { RevokedAt = PostgresValues.Timestamp(at) }, cancellationToken);

    // Reads the key under a row lock and, unless it is revoked, writes what `change` makes of it (its settings and
    // revocation) and notifies the other instances. The lock makes a concurrent edit or revocation through another
    // instance wait, then see this one's result (a second revocation keeps the first one's time).
    private async Task<(ApiKeyRecord Before, ApiKeyRecord After)?> ChangeAsync(string id, Func<ApiKeyRecord, ApiKeyRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        List<ApiKeyRecord> found;
        await using (var select = new NpgsqlCommand($"SELECT {Columns} FROM api_keys WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            select.Parameters.AddWithValue(id);
            found = await ReadAsync(select, cancellationToken);
        }

        if (found.Count == 0)
        {
            return null;
        }

        var before = found[0];
        if (before.RevokedAt is not null)
        {
            return (before, before);
        }

        var after = change(before);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var update = new NpgsqlBatchCommand("UPDATE api_keys SET name = $1, role = $2, operations = $3, requests_per_minute = $4, revoked_at = $5 WHERE id = $6");
            update.Parameters.AddWithValue(after.Name);
            update.Parameters.AddWithValue(PrincipalRoles.Name(after.Role));
            update.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Text, after.Operations is null ? DBNull.Value : after.Operations.ToArray());
            update.Parameters.AddWithValue(NpgsqlDbType.Integer, PostgresValues.OrNull(after.RequestsPerMinute));
            update.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, PostgresValues.Timestamp(after.RevokedAt));
            update.Parameters.AddWithValue(id);
            batch.BatchCommands.Add(update);
            batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Keys));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (before, after);
    }

    /// <inheritdoc/>
    public async Task RecordUsesAsync(IReadOnlyCollection<KeyUse> uses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uses);
        if (uses.Count == 0)
        {
            return;
        }

        // One statement for the whole batch; a key used twice in it keeps its latest use.
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var update = new NpgsqlCommand("""
            UPDATE api_keys k SET last_used_at = u.at
            FROM (SELECT id, max(at) AS at FROM unnest($1::text[], $2::timestamptz[]) AS x(id, at) GROUP BY id) u
            WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)
            """, connection);
        update.Parameters.AddWithValue(uses.Select(u => u.Id).ToArray());
        update.Parameters.AddWithValue(uses.Select(u => PostgresValues.Timestamp(u.At)).ToArray());
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<ApiKeyRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        List<ApiKeyRecord> keys = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!PrincipalRoles.TryParse(reader.GetString(2), out var role))
            {
                throw new PostgresSchemaException($"api_keys row '{reader.GetString(0)}' has an unknown role '{reader.GetString(2)}'.");
            }

            keys.Add(new ApiKeyRecord(
                reader.GetString(0),
                reader.GetString(1),
                role,
                reader.IsDBNull(3) ? null : reader.GetFieldValue<string[]>(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.GetFieldValue<byte[]>(5),
                PostgresValues.ReadTimestamp(reader.GetDateTime(6)),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : PostgresValues.ReadTimestamp(reader.GetDateTime(8)),
                reader.IsDBNull(9) ? null : PostgresValues.ReadTimestamp(reader.GetDateTime(9))));
        }

        return keys;
    }
}
