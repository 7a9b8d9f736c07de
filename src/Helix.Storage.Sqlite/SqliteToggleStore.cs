using Helix.Core.Toggles;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>The toggles admins set, in SQLite (table <c>toggles</c>, one row per name); locked toggles are never written.</summary>
/// <remarks>Thread-safe. Names are unique case-insensitively (<c>COLLATE NOCASE</c>); saving a name replaces its row.</remarks>
public sealed class SqliteToggleStore : IToggleStore
{
    private const string Columns = "name, enabled, scope, subject, description, owner, updated_at, updated_by";

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteToggleStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ToggleConfig>> GetTogglesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM toggles ORDER BY name";
        List<ToggleConfig> toggles = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            toggles.Add(new ToggleConfig
            {
                Name = reader.GetString(0),
                Enabled = reader.GetInt64(1) != 0,
                Scope = ToScope(reader.GetString(2)),
                Subject = reader.IsDBNull(3) ? null : reader.GetString(3),
                Description = reader.IsDBNull(4) ? null : reader.GetString(4),
                Owner = reader.IsDBNull(5) ? null : reader.GetString(5),
                UpdatedAt = SqliteValues.ParseTimestamp(reader.GetString(6)),
                UpdatedBy = reader.GetString(7),
            });
        }

        return toggles;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The toggle is locked, or lacks a name, a change time or an author.</exception>
    public Task SaveToggleAsync(ToggleConfig toggle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(toggle);
        ArgumentException.ThrowIfNullOrWhiteSpace(toggle.Name, nameof(toggle));
        ArgumentException.ThrowIfNullOrWhiteSpace(toggle.UpdatedBy, nameof(toggle));
        if (toggle.Locked)
        {
            throw new ArgumentException($"'{toggle.Name}' is locked: locked toggles are never stored.", nameof(toggle));
        }

        var updatedAt = toggle.UpdatedAt ?? throw new ArgumentException("A stored toggle has a change time.", nameof(toggle));
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                INSERT INTO toggles ({Columns}) VALUES ($name, $enabled, $scope, $subject, $description, $owner, $updatedAt, $updatedBy)
                ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, scope = excluded.scope, subject = excluded.subject,
                    description = excluded.description, owner = excluded.owner, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """;
            command.Parameters.AddWithValue("$name", toggle.Name);
            command.Parameters.AddWithValue("$enabled", toggle.Enabled);
            command.Parameters.AddWithValue("$scope", ToText(toggle.Scope));
            command.Parameters.AddWithValue("$subject", SqliteValues.OrNull(toggle.Scope == ToggleScope.Global ? null : toggle.Subject));
            command.Parameters.AddWithValue("$description", SqliteValues.OrNull(toggle.Description));
            command.Parameters.AddWithValue("$owner", SqliteValues.OrNull(toggle.Owner));
            command.Parameters.AddWithValue("$updatedAt", SqliteValues.FormatTimestamp(updatedAt));
            command.Parameters.AddWithValue("$updatedBy", toggle.UpdatedBy);
            await command.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteToggleAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM toggles WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            return await command.ExecuteNonQueryAsync(ct) > 0;
        }, cancellationToken);
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
        _ => throw new InvalidOperationException($"The toggles table holds an unknown scope '{text}'."),
    };
}
