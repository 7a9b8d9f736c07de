using System.Text.Json;
using Helix.Core.Pricing;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>Admin price overrides and re-pricings in PostgreSQL, both append-only.</summary>
/// <remarks>
/// <para>
/// Each change of a model's override adds a version to <c>price_overrides</c> holding every period of that model's
/// prices as a price-book document (<see cref="PriceBookDocument"/>); the highest version of each model is in force,
/// and a version with no prices removes the model's override. Each re-pricing adds rows to <c>cost_adjustments</c>;
/// the operation log reads the latest one of a row as its re-priced cost.
/// </para>
/// <para>
/// Thread-safe. A change takes a transaction-scoped advisory lock per model, so two instances changing one model at
/// once get consecutive versions, and notifies the other instances (<see cref="PostgresChangeChannel"/>).
/// </para>
/// </remarks>
public sealed class PostgresPriceStore : IPriceStore
{
    private static readonly JsonSerializerOptions s_compact = new(PriceBookDocument.SerializerOptions) { WriteIndented = false };

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresPriceStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PriceEntry>> GetOverridesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT ON (model_key) json FROM price_overrides ORDER BY model_key, version DESC",
            connection);
        List<PriceEntry> entries = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.AddRange(PriceBookDocument.Parse(reader.GetString(0)).ToEntries(isOverride: true));
        }

        return entries;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">An entry lacks a provider, model, rates or source, or <paramref name="changedBy"/> is empty.</exception>
    public Task SaveOverridesAsync(IReadOnlyList<PriceEntry> entries, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentException.ThrowIfNullOrWhiteSpace(changedBy);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            if (string.IsNullOrWhiteSpace(entry.Provider) || string.IsNullOrWhiteSpace(entry.Model))
            {
                throw new ArgumentException("Every price entry needs a provider and a model.", nameof(entries));
            }
        }

        List<(string Key, string Json)> versions = [];
        foreach (var model in entries.GroupBy(e => PriceBook.Key(e.Provider, e.Model), StringComparer.Ordinal))
        {
            var json = Serialize(model);
            try
            {
                // Stored documents are read back on every load: refuse one that would not read back now.
                _ = PriceBookDocument.Parse(json).ToEntries().Count();
            }
            catch (FormatException ex)
            {
                throw new ArgumentException(ex.Message, nameof(entries), ex);
            }

            versions.Add((model.Key, json));
        }

        return AppendVersionsAsync(versions, changedBy, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Adds an empty version for each model: the history keeps the prices that were removed.</remarks>
    public Task RemoveOverridesAsync(IReadOnlyList<string> modelKeys, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelKeys);
        ArgumentException.ThrowIfNullOrWhiteSpace(changedBy);
        var empty = Serialize([]);
        return AppendVersionsAsync([.. modelKeys.Distinct(StringComparer.OrdinalIgnoreCase).Select(k => (k.ToLowerInvariant(), empty))], changedBy, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">An adjustment has no reason or author.</exception>
    public async Task AppendCostAdjustmentsAsync(IReadOnlyList<CostAdjustment> adjustments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(adjustments);
        foreach (var adjustment in adjustments)
        {
            ArgumentNullException.ThrowIfNull(adjustment, nameof(adjustments));
            ArgumentException.ThrowIfNullOrWhiteSpace(adjustment.Reason, nameof(adjustments));
            ArgumentException.ThrowIfNullOrWhiteSpace(adjustment.By, nameof(adjustments));
        }

        if (adjustments.Count == 0)
        {
            return;
        }

        // One statement over arrays: all rows or none (the trigger refuses an unknown log row).
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO cost_adjustments (log_id, cost_usd, cost_status, price_source, price_source_date, reason, adjusted_at, adjusted_by)
            SELECT * FROM unnest($1::bigint[], $2::numeric[], $3::text[], $4::text[], $5::date[], $6::text[], $7::timestamptz[], $8::text[])
            """, connection);
        command.Parameters.AddWithValue(adjustments.Select(a => a.LogId).ToArray());
        command.Parameters.AddWithValue(adjustments.Select(a => a.CostUsd).ToArray());
        command.Parameters.AddWithValue(adjustments.Select(a => StoredNames.ToText(a.CostStatus)).ToArray());
        command.Parameters.AddWithValue(adjustments.Select(a => a.PriceSource).ToArray());
        command.Parameters.AddWithValue(adjustments.Select(a => a.PriceSourceDate).ToArray());
        command.Parameters.AddWithValue(adjustments.Select(a => a.Reason).ToArray());
        command.Parameters.AddWithValue(adjustments.Select(a => PostgresValues.Timestamp(a.At)).ToArray());
        command.Parameters.AddWithValue(adjustments.Select(a => a.By).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Serialize(IEnumerable<PriceEntry> entries) =>
        JsonSerializer.Serialize(PriceBookDocument.FromEntries(entries), s_compact);

    private async Task AppendVersionsAsync(List<(string Key, string Json)> versions, string changedBy, CancellationToken cancellationToken)
    {
        if (versions.Count == 0)
        {
            return;
        }

        var changedAt = PostgresValues.Timestamp(_database.TimeProvider.GetUtcNow());
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);

        // Every model of one change gets its next version in one transaction: all or none.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (key, json) in versions.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            await using (var lockModel = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('price_overrides:' || $1))", connection, transaction))
            {
                lockModel.Parameters.AddWithValue(key);
                await lockModel.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = new NpgsqlCommand("""
                INSERT INTO price_overrides (model_key, version, json, changed_by, changed_at)
                VALUES ($1, (SELECT coalesce(max(version), 0) + 1 FROM price_overrides WHERE model_key = $1), $2, $3, $4)
                """, connection, transaction);
            command.Parameters.AddWithValue(key);
            command.Parameters.AddWithValue(json);
            command.Parameters.AddWithValue(changedBy);
            command.Parameters.AddWithValue(changedAt);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection, transaction))
        {
            notify.Parameters.AddWithValue(PostgresChangeChannel.Name);
            notify.Parameters.AddWithValue(PostgresChangeChannel.Prices);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
