using System.Text.Json;
using Helix.Core.Routing;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>The model catalog and routes in PostgreSQL; every version of a route is kept, the highest is in force.</summary>
/// <remarks>
/// Thread-safe. Saving is optimistic: the unique index on (lower(operation), version) lets exactly one of two
/// concurrent saves of the same version win, on this instance or another. A save notifies the other instances
/// (<see cref="PostgresChangeChannel"/>) in its transaction, so they reload within a moment of the commit.
/// </remarks>
public sealed class PostgresRouteStore : IRouteStore
{
    private const string RouteColumns =
        "operation, version, primary_model, fallback_models, modality, enabled, unknown_price_policy, updated_at, updated_by, max_output_tokens, retired";

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresRouteStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ModelConfig>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT id, provider, provider_model, modality, default_max_output_tokens FROM models ORDER BY id", connection);
        List<ModelConfig> models = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
    public async Task<IReadOnlyList<RouteConfig>> GetRoutesAsync(CancellationToken cancellationToken = default)
    {
        var latest = await ReadRoutesAsync(
            $"SELECT DISTINCT ON (lower(operation)) {RouteColumns} FROM routes ORDER BY lower(operation), version DESC",
            operation: null,
            cancellationToken);
        return [.. latest.Where(r => !r.Retired).OrderBy(r => r.Operation, StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The route lacks an operation, primary model, fallback list or author, or its version is below 1.</exception>
    public async Task<bool> SaveRouteAsync(RouteConfig route, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentException.ThrowIfNullOrWhiteSpace(route.Operation, nameof(route));
        ArgumentException.ThrowIfNullOrWhiteSpace(route.PrimaryModel, nameof(route));
        ArgumentOutOfRangeException.ThrowIfLessThan(route.Version, 1L, nameof(route));
        ArgumentNullException.ThrowIfNull(route.FallbackModels, nameof(route));
        ArgumentNullException.ThrowIfNull(route.UpdatedBy, nameof(route));

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand($"INSERT INTO routes ({RouteColumns}) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11)");
        insert.Parameters.AddWithValue(route.Operation);
        insert.Parameters.AddWithValue(route.Version);
        insert.Parameters.AddWithValue(route.PrimaryModel);
        insert.Parameters.AddWithValue(JsonSerializer.Serialize(route.FallbackModels, PostgresJsonContext.Default.IReadOnlyListString));
        insert.Parameters.AddWithValue(StoredNames.ToText(route.Modality));
        insert.Parameters.AddWithValue(route.Enabled);
        insert.Parameters.AddWithValue(StoredNames.ToText(route.UnknownPricePolicy));
        insert.Parameters.AddWithValue(PostgresValues.Timestamp(route.UpdatedAt));
        insert.Parameters.AddWithValue(route.UpdatedBy);
        insert.Parameters.AddWithValue(PostgresValues.OrNull(route.MaxOutputTokens));
        insert.Parameters.AddWithValue(route.Retired);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Routes));
        try
        {
            // A batch runs in one implicit transaction: the notice is sent only if the route is saved.
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RouteConfig>> GetRouteHistoryAsync(string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return ReadRoutesAsync($"SELECT {RouteColumns} FROM routes WHERE lower(operation) = lower($1) ORDER BY version DESC", operation, cancellationToken);
    }

    private async Task<IReadOnlyList<RouteConfig>> ReadRoutesAsync(string sql, string? operation, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        if (operation is not null)
        {
            command.Parameters.AddWithValue(operation);
        }

        List<RouteConfig> routes = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            routes.Add(new RouteConfig
            {
                Operation = reader.GetString(0),
                Version = reader.GetInt64(1),
                PrimaryModel = reader.GetString(2),
                FallbackModels = JsonSerializer.Deserialize(reader.GetString(3), PostgresJsonContext.Default.IReadOnlyListString) ?? [],
                Modality = StoredNames.ToModality(reader.GetString(4)),
                Enabled = reader.GetBoolean(5),
                UnknownPricePolicy = StoredNames.ToUnknownPricePolicy(reader.GetString(6)),
                UpdatedAt = PostgresValues.ReadTimestamp(reader.GetDateTime(7)),
                UpdatedBy = reader.GetString(8),
                MaxOutputTokens = reader.IsDBNull(9) ? null : reader.GetInt32(9),
                Retired = reader.GetBoolean(10),
            });
        }

        return routes;
    }
}
