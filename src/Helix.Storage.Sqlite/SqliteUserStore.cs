using System.Globalization;
using Helix.Core.Accounts;
using Helix.Core.Principals;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>The dashboard's human accounts in SQLite (table <c>users</c>, migration 0013).</summary>
/// <remarks>Thread-safe: writes go through the database's writer, reads through pooled connections.</remarks>
public sealed class SqliteUserStore : IUserStore
{
    private const string Columns = "id, name, role, password_hash, failed_sign_ins, locked_until, created_at";

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteUserStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM users ORDER BY id", null, cancellationToken);

    /// <inheritdoc/>
    public async Task<UserAccount?> FindByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = await QueryAsync($"SELECT {Columns} FROM users WHERE name = $value", name, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<UserAccount?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM users WHERE id = $value", id, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public Task<UserAccount?> AddAsync(UserAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO users (name, role, password_hash, failed_sign_ins, locked_until, created_at)
                VALUES ($name, $role, $hash, 0, NULL, $created) ON CONFLICT (name) DO NOTHING RETURNING id
                """;
            command.Parameters.AddWithValue("$name", account.Name);
            command.Parameters.AddWithValue("$role", RoleText(account.Role));
            command.Parameters.AddWithValue("$hash", account.PasswordHash);
            command.Parameters.AddWithValue("$created", SqliteValues.FormatTimestamp(account.CreatedAt));
            var id = await command.ExecuteScalarAsync(ct);
            return id is long value ? account with { Id = value, FailedSignIns = 0, LockedUntil = null } : null;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM users WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task RecordSignInAsync(long id, int failedSignIns, DateTimeOffset? lockedUntil, CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE users SET failed_sign_ins = $failed, locked_until = $locked WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$failed", failedSignIns);
            command.Parameters.AddWithValue("$locked", lockedUntil is { } until ? SqliteValues.FormatTimestamp(until) : DBNull.Value);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    private async Task<IReadOnlyList<UserAccount>> QueryAsync(string sql, object? value, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (value is not null)
        {
            command.Parameters.AddWithValue("$value", value);
        }

        List<UserAccount> accounts = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new UserAccount
            {
                Id = reader.GetInt64(0),
                Name = reader.GetString(1),
                Role = ParseRole(reader.GetString(2)),
                PasswordHash = reader.GetString(3),
                FailedSignIns = reader.GetInt32(4),
                LockedUntil = reader.IsDBNull(5) ? null : SqliteValues.ParseTimestamp(reader.GetString(5)),
                CreatedAt = SqliteValues.ParseTimestamp(reader.GetString(6)),
            });
        }

        return accounts;
    }

    private static string RoleText(PrincipalRole role) => role switch
    {
        PrincipalRole.Viewer => "viewer",
        PrincipalRole.Operator => "operator",
        PrincipalRole.Admin => "admin",
        _ => throw new ArgumentException($"A human account cannot have the role '{role}'.", nameof(role)),
    };

    private static PrincipalRole ParseRole(string text) => text switch
    {
        "viewer" => PrincipalRole.Viewer,
        "operator" => PrincipalRole.Operator,
        "admin" => PrincipalRole.Admin,
        _ => throw new InvalidDataException(string.Format(CultureInfo.InvariantCulture, "Unknown role '{0}' in users.", text)),
    };
}
