using System.Text.Json;
using Helix.Core.Routing;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>The model catalog and routes in SQLite; every version of a route is kept, the highest is in force.</summary>
/// <remarks>
/// Thread-safe. Saving is optimistic: <c>UNIQUE(operation, version)</c> lets exactly one of two concurrent saves of
/// the same version win, in this process or another. Fallback models are stored as a JSON array. Retiring an
/// operation is a version too (<see cref="RouteConfig.Retired"/>), so its history stays.
/// </remarks>
public sealed class SqliteRouteStore : IRouteStore
{
    private const string RouteColumns =
        "operation, version, primary_model, fallback_models, modality, enabled, unknown_price_policy, updated_at, updated_by, max_output_tokens, retired";

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteRouteStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ModelConfig>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, provider, provider_model, modality, default_max_output_tokens FROM models ORDER BY id";
        List<ModelConfig> models = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            models.Add(new ModelConfig
            {
                Id = reader.GetString(0),
                Provider = reader.GetString(1),
                ProviderModel = reader.GetString(2),
                Modality = StoredNames.ToModality(reader.GetString(3)),
                DefaultMaxOutputTokens = reader.GetInt32(4),
            });
        }

        return models;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RouteConfig>> GetRoutesAsync(CancellationToken cancellationToken = default) =>
        ReadRoutesAsync(
            $"SELECT {RouteColumns} FROM routes r WHERE version = (SELECT max(version) FROM routes WHERE operation = r.operation) AND retired = 0 ORDER BY operation",
            operation: null,
            cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The route lacks an operation, primary model, fallback list or author, or its version is below 1.</exception>
    public Task<bool> SaveRouteAsync(RouteConfig route, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentException.ThrowIfNullOrWhiteSpace(route.Operation, nameof(route));
        ArgumentException.ThrowIfNullOrWhiteSpace(route.PrimaryModel, nameof(route));
        ArgumentOutOfRangeException.ThrowIfLessThan(route.Version, 1L, nameof(route));
        ArgumentNullException.ThrowIfNull(route.FallbackModels, nameof(route));
        ArgumentNullException.ThrowIfNull(route.UpdatedBy, nameof(route));

        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO routes ({RouteColumns}) VALUES ($operation, $version, $primary, $fallbacks, $modality, $enabled, $policy, $updatedAt, $updatedBy, $maxOutputTokens, $retired)";
            command.Parameters.AddWithValue("$operation", route.Operation);
            command.Parameters.AddWithValue("$version", route.Version);
            command.Parameters.AddWithValue("$primary", route.PrimaryModel);
            command.Parameters.AddWithValue("$fallbacks", JsonSerializer.Serialize(route.FallbackModels, SqliteJsonContext.Default.IReadOnlyListString));
            command.Parameters.AddWithValue("$modality", StoredNames.ToText(route.Modality));
            command.Parameters.AddWithValue("$enabled", route.Enabled);
            command.Parameters.AddWithValue("$policy", StoredNames.ToText(route.UnknownPricePolicy));
            command.Parameters.AddWithValue("$updatedAt", SqliteValues.FormatTimestamp(route.UpdatedAt));
            command.Parameters.AddWithValue("$updatedBy", route.UpdatedBy);
            command.Parameters.AddWithValue("$maxOutputTokens", route.MaxOutputTokens is { } cap ? cap : DBNull.Value);
            command.Parameters.AddWithValue("$retired", route.Retired);
            try
            {
                await command.ExecuteNonQueryAsync(ct);
                return true;
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteErrorCodes.ConstraintUnique)
            {
                return false;
            }
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RouteConfig>> GetRouteHistoryAsync(string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return ReadRoutesAsync($"SELECT {RouteColumns} FROM routes WHERE operation = $operation ORDER BY version DESC", operation, cancellationToken);
    }

    private async Task<IReadOnlyList<RouteConfig>> ReadRoutesAsync(string sql, string? operation, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (operation is not null)
        {
            command.Parameters.AddWithValue("$operation", operation);
        }

        List<RouteConfig> routes = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            routes.Add(ReadRoute(reader));
        }

        return routes;
    }

    private static RouteConfig ReadRoute(SqliteDataReader reader) => new()
    {
        Operation = reader.GetString(0),
        Version = reader.GetInt64(1),
        PrimaryModel = reader.GetString(2),
        FallbackModels = JsonSerializer.Deserialize(reader.GetString(3), SqliteJsonContext.Default.IReadOnlyListString) ?? [],
        Modality = StoredNames.ToModality(reader.GetString(4)),
        Enabled = reader.GetBoolean(5),
        UnknownPricePolicy = StoredNames.ToUnknownPricePolicy(reader.GetString(6)),
        UpdatedAt = SqliteValues.ParseTimestamp(reader.GetString(7)),
        UpdatedBy = reader.GetString(8),
        MaxOutputTokens = reader.IsDBNull(9) ? null : reader.GetInt32(9),
        Retired = reader.GetBoolean(10),
    };
}
