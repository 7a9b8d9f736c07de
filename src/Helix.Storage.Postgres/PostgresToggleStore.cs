using Helix.Core.Toggles;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>The toggles admins set, in PostgreSQL; locked toggles are never stored.</summary>
/// <remarks>Thread-safe. A name is unique case-insensitively. A change notifies the other instances (<see cref="PostgresChangeChannel"/>).</remarks>
public sealed class PostgresToggleStore : IToggleStore
{
    private const string Columns = "name, enabled, scope, subject, description, owner, updated_at, updated_by";

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresToggleStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ToggleConfig>> GetTogglesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM toggles ORDER BY name COLLATE \"C\"", connection);
        List<ToggleConfig> toggles = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            toggles.Add(new ToggleConfig
            {
                Name = reader.GetString(0),
                Enabled = reader.GetBoolean(1),
                Scope = ToScope(reader.GetString(2)),
                Subject = reader.IsDBNull(3) ? null : reader.GetString(3),
                Description = reader.IsDBNull(4) ? null : reader.GetString(4),
                Owner = reader.IsDBNull(5) ? null : reader.GetString(5),
                UpdatedAt = PostgresValues.ReadTimestamp(reader.GetDateTime(6)),
                UpdatedBy = reader.GetString(7),
            });
        }

        return toggles;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The toggle is locked, or lacks a name, a change time or an author.</exception>
    public async Task SaveToggleAsync(ToggleConfig toggle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(toggle);
        ArgumentException.ThrowIfNullOrWhiteSpace(toggle.Name, nameof(toggle));
        ArgumentException.ThrowIfNullOrWhiteSpace(toggle.UpdatedBy, nameof(toggle));
        if (toggle.Locked)
        {
            throw new ArgumentException($"'{toggle.Name}' is locked: locked toggles are never stored.", nameof(toggle));
        }

        var updatedAt = toggle.UpdatedAt ?? throw new ArgumentException("A stored toggle has a change time.", nameof(toggle));
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var upsert = new NpgsqlBatchCommand($"""
            INSERT INTO toggles ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (lower(name)) DO UPDATE SET enabled = excluded.enabled, scope = excluded.scope, subject = excluded.subject,
                description = excluded.description, owner = excluded.owner, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """);
        upsert.Parameters.AddWithValue(toggle.Name);
        upsert.Parameters.AddWithValue(toggle.Enabled);
        upsert.Parameters.AddWithValue(ToText(toggle.Scope));
        upsert.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, PostgresValues.OrNull(toggle.Scope == ToggleScope.Global ? null : toggle.Subject));
        upsert.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, PostgresValues.OrNull(toggle.Description));
        upsert.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, PostgresValues.OrNull(toggle.Owner));
        upsert.Parameters.AddWithValue(PostgresValues.Timestamp(updatedAt));
        upsert.Parameters.AddWithValue(toggle.UpdatedBy);
        batch.BatchCommands.Add(upsert);
        batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Toggles));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteToggleAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var delete = new NpgsqlBatchCommand("DELETE FROM toggles WHERE lower(name) = lower($1)");
        delete.Parameters.AddWithValue(name);
        batch.BatchCommands.Add(delete);
        batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Toggles));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return delete.RecordsAffected > 0;
    }

    private static string ToText(ToggleScope scope) => scope switch
    {
        ToggleScope.Global => "global",
        ToggleScope.Operation => "operation",
        ToggleScope.Provider => "provider",
        ToggleScope.Model => "model",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown toggle scope."),
    };

    private static ToggleScope ToScope(string text) => text switch
    {
        "global" => ToggleScope.Global,
        "operation" => ToggleScope.Operation,
        "provider" => ToggleScope.Provider,
        "model" => ToggleScope.Model,
        _ => throw new InvalidDataException($"The toggles table holds an unknown scope '{text}'."),
    };
}
