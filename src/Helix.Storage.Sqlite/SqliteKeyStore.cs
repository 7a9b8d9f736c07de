using System.Text.Json;
using Helix.Core.Principals;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>API keys in SQLite: their hashes, never the keys; revoked, never deleted.</summary>
/// <remarks>Writes run on the writer connection; last-used times arrive in batches and only move forward. Thread-safe.</remarks>
public sealed class SqliteKeyStore : IKeyStore
{
    private const string Columns = "id, name, role, operations_json, requests_per_minute, key_hash, created_at, created_by, last_used_at, revoked_at";

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteKeyStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO api_keys ({Columns}) VALUES ($id, $name, $role, $operations, $rpm, $hash, $createdAt, $createdBy, $lastUsedAt, $revokedAt)";
            insert.Parameters.AddWithValue("$id", key.Id);
            insert.Parameters.AddWithValue("$name", key.Name);
            insert.Parameters.AddWithValue("$role", PrincipalRoles.Name(key.Role));
            insert.Parameters.AddWithValue("$operations", OperationsJson(key.Operations));
            insert.Parameters.AddWithValue("$rpm", SqliteValues.OrNull(key.RequestsPerMinute));
            insert.Parameters.AddWithValue("$hash", key.Hash.ToArray());
            insert.Parameters.AddWithValue("$createdAt", SqliteValues.FormatTimestamp(key.CreatedAt));
            insert.Parameters.AddWithValue("$createdBy", key.CreatedBy);
            insert.Parameters.AddWithValue("$lastUsedAt", key.LastUsedAt is { } used ? SqliteValues.FormatTimestamp(used) : DBNull.Value);
            insert.Parameters.AddWithValue("$revokedAt", key.RevokedAt is { } revoked ? SqliteValues.FormatTimestamp(revoked) : DBNull.Value);
            try
            {
                await insert.ExecuteNonQueryAsync(ct);
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode is SqliteErrorCodes.ConstraintUnique or SqliteErrorCodes.ConstraintPrimaryKey)
            {
                throw new InvalidOperationException("A key with this id or hash exists already.", ex);
            }

            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_keys ORDER BY created_at, id";
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
        ChangeAsync(id, key => key with { RevokedAt = at }, cancellationToken);

    // Reads the key in a write transaction and, unless it is revoked, writes what `change` makes of it (its settings and revocation).
    private Task<(ApiKeyRecord Before, ApiKeyRecord After)?> ChangeAsync(string id, Func<ApiKeyRecord, ApiKeyRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.WriteAsync<(ApiKeyRecord, ApiKeyRecord)?>(async (connection, ct) =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var select = connection.CreateCommand();
            select.Transaction = transaction;
            select.CommandText = $"SELECT {Columns} FROM api_keys WHERE id = $id";
            select.Parameters.AddWithValue("$id", id);
            var found = await ReadAsync(select, ct);
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
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE api_keys SET name = $name, role = $role, operations_json = $operations, requests_per_minute = $rpm, revoked_at = $revokedAt WHERE id = $id";
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$name", after.Name);
            update.Parameters.AddWithValue("$role", PrincipalRoles.Name(after.Role));
            update.Parameters.AddWithValue("$operations", OperationsJson(after.Operations));
            update.Parameters.AddWithValue("$rpm", SqliteValues.OrNull(after.RequestsPerMinute));
            update.Parameters.AddWithValue("$revokedAt", after.RevokedAt is { } revoked ? SqliteValues.FormatTimestamp(revoked) : DBNull.Value);
            await update.ExecuteNonQueryAsync(ct);
            transaction.Commit();
            return (before, after);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordUsesAsync(IReadOnlyCollection<KeyUse> uses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uses);
        if (uses.Count == 0)
        {
            return Task.CompletedTask;
        }

        return _database.WriteAsync(async (connection, ct) =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var update = connection.CreateCommand();
            update.Transaction = transaction;

            // Timestamps are fixed-width ISO-8601 text, so comparing them as text compares the times.
            update.CommandText = "UPDATE api_keys SET last_used_at = $at WHERE id = $id AND (last_used_at IS NULL OR last_used_at < $at)";
            var idParameter = update.Parameters.Add("$id", SqliteType.Text);
            var atParameter = update.Parameters.Add("$at", SqliteType.Text);
            foreach (var use in uses)
            {
                idParameter.Value = use.Id;
                atParameter.Value = SqliteValues.FormatTimestamp(use.At);
                await update.ExecuteNonQueryAsync(ct);
            }

            transaction.Commit();
            return 0;
        }, cancellationToken);
    }

    private static object OperationsJson(IReadOnlyList<string>? operations) =>
        operations is null ? DBNull.Value : JsonSerializer.Serialize(operations, SqliteJsonContext.Default.IReadOnlyListString);

    private static async Task<List<ApiKeyRecord>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyRecord>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!PrincipalRoles.TryParse(reader.GetString(2), out var role))
            {
                throw new SqliteSchemaException($"api_keys row '{reader.GetString(0)}' has an unknown role '{reader.GetString(2)}'.");
            }

            keys.Add(new ApiKeyRecord(
                reader.GetString(0),
                reader.GetString(1),
                role,
                reader.IsDBNull(3) ? null : JsonSerializer.Deserialize(reader.GetString(3), SqliteJsonContext.Default.IReadOnlyListString),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                (byte[])reader.GetValue(5),
                SqliteValues.ParseTimestamp(reader.GetString(6)),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : SqliteValues.ParseTimestamp(reader.GetString(8)),
                reader.IsDBNull(9) ? null : SqliteValues.ParseTimestamp(reader.GetString(9))));
        }

        return keys;
    }
}
