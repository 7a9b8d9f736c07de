using System.Text.Json;
using Helix.Core.Pricing;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>Admin price overrides and re-pricings in SQLite, both append-only.</summary>
/// <remarks>
/// <para>
/// Each change of a model's override adds a version to <c>price_overrides</c> holding every period of that model's
/// prices as a price-book document (<see cref="PriceBookDocument"/>); the highest version of each model is in force,
/// and a version with no prices removes the model's override. Each re-pricing adds rows to <c>cost_adjustments</c>;
/// the operation log reads the latest one of a row as its re-priced cost.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class SqlitePriceStore : IPriceStore
{
    private static readonly JsonSerializerOptions s_compact = new(PriceBookDocument.SerializerOptions) { WriteIndented = false };

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqlitePriceStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PriceEntry>> GetOverridesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT json FROM price_overrides p
            WHERE version = (SELECT max(version) FROM price_overrides WHERE model_key = p.model_key)
            ORDER BY model_key
            """;
        List<PriceEntry> entries = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
        List<(string Key, string Json)> versions = [];
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            if (string.IsNullOrWhiteSpace(entry.Provider) || string.IsNullOrWhiteSpace(entry.Model))
            {
                throw new ArgumentException("Every price entry needs a provider and a model.", nameof(entries));
            }
        }

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
    public Task AppendCostAdjustmentsAsync(IReadOnlyList<CostAdjustment> adjustments, CancellationToken cancellationToken = default)
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
            return Task.CompletedTask;
        }

        return _database.WriteAsync((connection, ct) =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO cost_adjustments (log_id, cost_usd, cost_status, price_source, price_source_date, reason, adjusted_at, adjusted_at_ms, adjusted_by)
                VALUES ($logId, $cost, $status, $source, $sourceDate, $reason, $at, $atMs, $by)
                """;
            var logId = command.Parameters.Add("$logId", SqliteType.Integer);
            var cost = command.Parameters.Add("$cost", SqliteType.Text);
            var status = command.Parameters.Add("$status", SqliteType.Text);
            var source = command.Parameters.Add("$source", SqliteType.Text);
            var sourceDate = command.Parameters.Add("$sourceDate", SqliteType.Text);
            var reason = command.Parameters.Add("$reason", SqliteType.Text);
            var at = command.Parameters.Add("$at", SqliteType.Text);
            var atMs = command.Parameters.Add("$atMs", SqliteType.Integer);
            var by = command.Parameters.Add("$by", SqliteType.Text);
            foreach (var adjustment in adjustments)
            {
                ct.ThrowIfCancellationRequested();
                logId.Value = adjustment.LogId;
                cost.Value = SqliteValues.FormatDecimal(adjustment.CostUsd);
                status.Value = StoredNames.ToText(adjustment.CostStatus);
                source.Value = SqliteValues.OrNull(adjustment.PriceSource);
                sourceDate.Value = SqliteValues.FormatDate(adjustment.PriceSourceDate);
                reason.Value = adjustment.Reason;
                at.Value = SqliteValues.FormatTimestamp(adjustment.At);
                atMs.Value = adjustment.At.ToUnixTimeMilliseconds();
                by.Value = adjustment.By;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return Task.FromResult(true);
        }, cancellationToken);
    }

    private static string Serialize(IEnumerable<PriceEntry> entries) =>
        JsonSerializer.Serialize(PriceBookDocument.FromEntries(entries), s_compact);

    private Task AppendVersionsAsync(List<(string Key, string Json)> versions, string changedBy, CancellationToken cancellationToken)
    {
        if (versions.Count == 0)
        {
            return Task.CompletedTask;
        }

        var changedAt = SqliteValues.FormatTimestamp(_database.TimeProvider.GetUtcNow());
        return _database.WriteAsync((connection, ct) =>
        {
            // Every model of one change gets its next version in one transaction: all or none.
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO price_overrides (model_key, version, json, changed_by, changed_at)
                VALUES ($key, (SELECT coalesce(max(version), 0) + 1 FROM price_overrides WHERE model_key = $key), $json, $by, $at)
                """;
            var key = command.Parameters.Add("$key", SqliteType.Text);
            var json = command.Parameters.Add("$json", SqliteType.Text);
            command.Parameters.AddWithValue("$by", changedBy);
            command.Parameters.AddWithValue("$at", changedAt);
            foreach (var version in versions)
            {
                ct.ThrowIfCancellationRequested();
                key.Value = version.Key;
                json.Value = version.Json;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return Task.FromResult(true);
        }, cancellationToken);
    }
}
