using Helix.Core.Accounts;
using Helix.Core.Principals;
using Npgsql;
using NpgsqlTypes;

namespace Helix.Storage.Postgres;

/// <summary>The dashboard's human accounts in PostgreSQL (table <c>users</c>, migration 0011).</summary>
/// <remarks>Thread-safe. Names are unique case-insensitively: of two instances adding one name at once, one gets the account, the other <see langword="null"/>.</remarks>
public sealed class PostgresUserStore : IUserStore
{
    private const string Columns = "id, name, role, password_hash, failed_sign_ins, locked_until, created_at";

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresUserStore(PostgresDatabase database)
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
        var found = await QueryAsync($"SELECT {Columns} FROM users WHERE lower(name) = lower($1)", name, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<UserAccount?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM users WHERE id = $1", id, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<UserAccount?> AddAsync(UserAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var role = RoleText(account.Role);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO users (name, role, password_hash, failed_sign_ins, locked_until, created_at)
            VALUES ($1, $2, $3, 0, NULL, $4) ON CONFLICT ((lower(name))) DO NOTHING RETURNING id
            """, connection);
        command.Parameters.AddWithValue(account.Name);
        command.Parameters.AddWithValue(role);
        command.Parameters.AddWithValue(account.PasswordHash);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(account.CreatedAt));
        var id = await command.ExecuteScalarAsync(cancellationToken);
        return id is long value ? account with { Id = value, FailedSignIns = 0, LockedUntil = null, CreatedAt = PostgresValues.Timestamp(account.CreatedAt) } : null;
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM users WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <inheritdoc/>
    public async Task RecordSignInAsync(long id, int failedSignIns, DateTimeOffset? lockedUntil, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("UPDATE users SET failed_sign_ins = $1, locked_until = $2 WHERE id = $3", connection);
        command.Parameters.AddWithValue(failedSignIns);
        command.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, PostgresValues.Timestamp(lockedUntil));
        command.Parameters.AddWithValue(id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<UserAccount>> QueryAsync(string sql, object? value, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        if (value is not null)
        {
            command.Parameters.AddWithValue(value);
        }

        List<UserAccount> accounts = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new UserAccount
            {
                Id = reader.GetInt64(0),
                Name = reader.GetString(1),
                Role = ParseRole(reader.GetString(2)),
                PasswordHash = reader.GetString(3),
                FailedSignIns = reader.GetInt32(4),
                LockedUntil = reader.IsDBNull(5) ? null : PostgresValues.ReadTimestamp(reader.GetDateTime(5)),
                CreatedAt = PostgresValues.ReadTimestamp(reader.GetDateTime(6)),
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
        _ => throw new PostgresSchemaException($"Unknown role '{text}' in users."),
    };
}
