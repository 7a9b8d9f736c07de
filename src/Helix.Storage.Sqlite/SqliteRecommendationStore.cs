using System.Globalization;
using Helix.Core.Recommendations;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>Recommendations in SQLite; Helix's computed ones are replaced as a set, proposals and dismissals stay.</summary>
/// <remarks>Thread-safe. Writes go through the database's writer connection, each in one transaction.</remarks>
public sealed class SqliteRecommendationStore : IRecommendationStore
{
    private const string SelectSql = """
        SELECT id, kind, operation, model, service_tier, evidence, projected_monthly_savings_usd, source, proposed_by,
               status, created_at, updated_at, dismissed_by, dismiss_reason, approval_id, applied_at, applied_by
        FROM recommendations
        """;

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteRecommendationStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Recommendation>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = SelectSql + " ORDER BY id DESC";
        return await ReadAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Recommendation?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = SelectSql + " WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public Task<Recommendation> InsertAsync(Recommendation recommendation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        return _database.WriteAsync(async (connection, ct) =>
        {
            var id = await InsertAsync(connection, null, recommendation, ct);
            return recommendation with { Id = id };
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task ReplaceComputedAsync(IReadOnlyList<Recommendation> computed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(computed);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            List<(long Id, string Key, string Status)> existing = [];
            using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                // One asked to be applied, or applied, is kept as it is: read as not open here.
                select.CommandText = "SELECT id, kind, operation, model, service_tier, CASE WHEN approval_id IS NULL THEN status ELSE 'applying' END FROM recommendations WHERE source = 'helix'";
                using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    existing.Add((reader.GetInt64(0), Key(reader.GetString(1), reader.GetString(2), Nullable(reader, 3), Nullable(reader, 4)), reader.GetString(5)));
                }
            }

            var kept = new HashSet<long>();
            foreach (var recommendation in computed)
            {
                var key = Key(recommendation.Kind, recommendation.Operation, recommendation.Model, recommendation.ServiceTier);
                var match = existing.FirstOrDefault(e => e.Key == key);
                if (match.Key is null)
                {
                    await InsertAsync(connection, transaction, recommendation, ct);
                    continue;
                }

                kept.Add(match.Id);
                if (match.Status != "open")
                {
                    continue;
                }

                using var update = connection.CreateCommand();
                update.Transaction = transaction;
                update.CommandText = "UPDATE recommendations SET evidence = $evidence, projected_monthly_savings_usd = $savings, updated_at = $at WHERE id = $id";
                update.Parameters.AddWithValue("$evidence", recommendation.Evidence);
                update.Parameters.AddWithValue("$savings", SqliteValues.FormatDecimal(recommendation.ProjectedMonthlySavingsUsd));
                update.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(recommendation.UpdatedAt));
                update.Parameters.AddWithValue("$id", match.Id);
                await update.ExecuteNonQueryAsync(ct);
            }

            foreach (var stale in existing.Where(e => e.Status == "open" && !kept.Contains(e.Id)))
            {
                using var delete = connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM recommendations WHERE id = $id";
                delete.Parameters.AddWithValue("$id", stale.Id);
                await delete.ExecuteNonQueryAsync(ct);
            }

            transaction.Commit();
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> DismissAsync(long id, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(reason);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE recommendations SET status = 'dismissed', dismissed_by = $by, dismiss_reason = $reason, updated_at = $at WHERE id = $id AND status = 'open' AND applied_at IS NULL";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$by", by);
            command.Parameters.AddWithValue("$reason", reason);
            command.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(at));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> SetApprovalAsync(long id, string approvalId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE recommendations SET approval_id = $approval, updated_at = $at WHERE id = $id AND status = 'open' AND applied_at IS NULL";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$approval", approvalId);
            command.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(at));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Recommendation?> FindByApprovalAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = SelectSql + " WHERE approval_id = $approval";
        command.Parameters.AddWithValue("$approval", approvalId);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public Task<bool> MarkAppliedAsync(long id, string approvalId, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        ArgumentNullException.ThrowIfNull(by);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                UPDATE recommendations SET applied_at = $at, applied_by = $by, updated_at = $at
                WHERE id = $id AND approval_id = $approval AND status = 'open' AND applied_at IS NULL
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$approval", approvalId);
            command.Parameters.AddWithValue("$by", by);
            command.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(at));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    private static string Key(string kind, string operation, string? model, string? tier) =>
        string.Join('\u001f', kind, operation.ToLowerInvariant(), model?.ToLowerInvariant() ?? "", tier?.ToLowerInvariant() ?? "");

    private static async Task<long> InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, Recommendation r, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO recommendations (kind, operation, model, service_tier, evidence, projected_monthly_savings_usd, source,
                proposed_by, status, created_at, updated_at, dismissed_by, dismiss_reason)
            VALUES ($kind, $operation, $model, $tier, $evidence, $savings, $source, $by, $status, $createdAt, $updatedAt, $dismissedBy, $reason)
            RETURNING id
            """;
        command.Parameters.AddWithValue("$kind", r.Kind);
        command.Parameters.AddWithValue("$operation", r.Operation);
        command.Parameters.AddWithValue("$model", SqliteValues.OrNull(r.Model));
        command.Parameters.AddWithValue("$tier", SqliteValues.OrNull(r.ServiceTier));
        command.Parameters.AddWithValue("$evidence", r.Evidence);
        command.Parameters.AddWithValue("$savings", SqliteValues.FormatDecimal(r.ProjectedMonthlySavingsUsd));
        command.Parameters.AddWithValue("$source", r.Source);
        command.Parameters.AddWithValue("$by", r.ProposedBy);
        command.Parameters.AddWithValue("$status", r.Status == RecommendationStatus.Open ? "open" : "dismissed");
        command.Parameters.AddWithValue("$createdAt", SqliteValues.FormatTimestamp(r.CreatedAt));
        command.Parameters.AddWithValue("$updatedAt", SqliteValues.FormatTimestamp(r.UpdatedAt));
        command.Parameters.AddWithValue("$dismissedBy", SqliteValues.OrNull(r.DismissedBy));
        command.Parameters.AddWithValue("$reason", SqliteValues.OrNull(r.DismissReason));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static string? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<List<Recommendation>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        List<Recommendation> list = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Recommendation
            {
                Id = reader.GetInt64(0),
                Kind = reader.GetString(1),
                Operation = reader.GetString(2),
                Model = Nullable(reader, 3),
                ServiceTier = Nullable(reader, 4),
                Evidence = reader.GetString(5),
                ProjectedMonthlySavingsUsd = reader.IsDBNull(6) ? null : SqliteValues.ParseDecimal(reader.GetString(6)),
                Source = reader.GetString(7),
                ProposedBy = reader.GetString(8),
                Status = reader.GetString(9) != "open" ? RecommendationStatus.Dismissed
                    : reader.IsDBNull(15) ? RecommendationStatus.Open : RecommendationStatus.Applied,
                CreatedAt = SqliteValues.ParseTimestamp(reader.GetString(10)),
                UpdatedAt = SqliteValues.ParseTimestamp(reader.GetString(11)),
                DismissedBy = Nullable(reader, 12),
                DismissReason = Nullable(reader, 13),
                ApprovalId = Nullable(reader, 14),
                AppliedAt = reader.IsDBNull(15) ? null : SqliteValues.ParseTimestamp(reader.GetString(15)),
                AppliedBy = Nullable(reader, 16),
            });
        }

        return list;
    }
}
