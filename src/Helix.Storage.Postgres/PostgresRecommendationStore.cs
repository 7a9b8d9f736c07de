using Helix.Core.Recommendations;
using Npgsql;
using NpgsqlTypes;

namespace Helix.Storage.Postgres;

/// <summary>Recommendations in PostgreSQL; Helix's computed ones are replaced as a set, proposals and dismissals stay.</summary>
/// <remarks>
/// Thread-safe. Each write is one transaction. Replacing the computed set takes a transaction-scoped advisory lock,
/// so two instances refreshing at once apply their sets one after the other instead of both adding the same ones.
/// </remarks>
public sealed class PostgresRecommendationStore : IRecommendationStore
{
    private const string SelectSql = """
        SELECT id, kind, operation, model, service_tier, evidence, projected_monthly_savings_usd, source, proposed_by,
               status, created_at, updated_at, dismissed_by, dismiss_reason, approval_id, applied_at, applied_by
        FROM recommendations
        """;

    private const string InsertSql = """
        INSERT INTO recommendations (kind, operation, model, service_tier, evidence, projected_monthly_savings_usd, source,
            proposed_by, status, created_at, updated_at, dismissed_by, dismiss_reason)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        RETURNING id
        """;

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresRecommendationStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Recommendation>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(SelectSql + " ORDER BY id DESC", connection);
        return await ReadAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Recommendation?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(SelectSql + " WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<Recommendation> InsertAsync(Recommendation recommendation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        var id = await InsertAsync(connection, null, recommendation, cancellationToken);
        return recommendation with { Id = id };
    }

    /// <inheritdoc/>
    public async Task ReplaceComputedAsync(IReadOnlyList<Recommendation> computed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(computed);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('helix_recommendations_computed'))", connection, transaction))
        {
            await gate.ExecuteNonQueryAsync(cancellationToken);
        }

        List<(long Id, string Key, string Status)> existing = [];
        await using (var select = new NpgsqlCommand(
            // One asked to be applied, or applied, is kept as it is: read as not open here.
            "SELECT id, kind, operation, model, service_tier, CASE WHEN approval_id IS NULL THEN status ELSE 'applying' END FROM recommendations WHERE source = 'helix'",
            connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
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
                await InsertAsync(connection, transaction, recommendation, cancellationToken);
                continue;
            }

            kept.Add(match.Id);
            if (match.Status != "open")
            {
                continue;
            }

            await using var update = new NpgsqlCommand(
                "UPDATE recommendations SET evidence = $1, projected_monthly_savings_usd = $2, updated_at = $3 WHERE id = $4", connection, transaction);
            update.Parameters.AddWithValue(recommendation.Evidence);
            update.Parameters.AddWithValue(NpgsqlDbType.Numeric, PostgresValues.OrNull(recommendation.ProjectedMonthlySavingsUsd));
            update.Parameters.AddWithValue(PostgresValues.Timestamp(recommendation.UpdatedAt));
            update.Parameters.AddWithValue(match.Id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var stale = existing.Where(e => e.Status == "open" && !kept.Contains(e.Id)).Select(e => e.Id).ToArray();
        if (stale.Length > 0)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM recommendations WHERE id = ANY($1)", connection, transaction);
            delete.Parameters.AddWithValue(stale);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> DismissAsync(long id, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentNullException.ThrowIfNull(reason);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "UPDATE recommendations SET status = 'dismissed', dismissed_by = $2, dismiss_reason = $3, updated_at = $4 WHERE id = $1 AND status = 'open' AND applied_at IS NULL",
            connection);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(by);
        command.Parameters.AddWithValue(reason);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc/>
    public async Task<bool> SetApprovalAsync(long id, string approvalId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "UPDATE recommendations SET approval_id = $2, updated_at = $3 WHERE id = $1 AND status = 'open' AND applied_at IS NULL",
            connection);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(approvalId);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc/>
    public async Task<Recommendation?> FindByApprovalAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(SelectSql + " WHERE approval_id = $1", connection);
        command.Parameters.AddWithValue(approvalId);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<bool> MarkAppliedAsync(long id, string approvalId, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        ArgumentNullException.ThrowIfNull(by);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            UPDATE recommendations SET applied_at = $4, applied_by = $3, updated_at = $4
            WHERE id = $1 AND approval_id = $2 AND status = 'open' AND applied_at IS NULL
            """,
            connection);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(approvalId);
        command.Parameters.AddWithValue(by);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static string Key(string kind, string operation, string? model, string? tier) =>
        string.Join('\u001f', kind, operation.ToLowerInvariant(), model?.ToLowerInvariant() ?? "", tier?.ToLowerInvariant() ?? "");

    private static async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Recommendation r, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        command.Parameters.AddWithValue(r.Kind);
        command.Parameters.AddWithValue(r.Operation);
        command.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(r.Model));
        command.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(r.ServiceTier));
        command.Parameters.AddWithValue(r.Evidence);
        command.Parameters.AddWithValue(NpgsqlDbType.Numeric, PostgresValues.OrNull(r.ProjectedMonthlySavingsUsd));
        command.Parameters.AddWithValue(r.Source);
        command.Parameters.AddWithValue(r.ProposedBy);
        command.Parameters.AddWithValue(r.Status == RecommendationStatus.Open ? "open" : "dismissed");
        command.Parameters.AddWithValue(PostgresValues.Timestamp(r.CreatedAt));
        command.Parameters.AddWithValue(PostgresValues.Timestamp(r.UpdatedAt));
        command.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(r.DismissedBy));
        command.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(r.DismissReason));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<List<Recommendation>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        List<Recommendation> list = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
                ProjectedMonthlySavingsUsd = reader.IsDBNull(6) ? null : reader.GetDecimal(6),
                Source = reader.GetString(7),
                ProposedBy = reader.GetString(8),
                Status = reader.GetString(9) != "open" ? RecommendationStatus.Dismissed
                    : reader.IsDBNull(15) ? RecommendationStatus.Open : RecommendationStatus.Applied,
                CreatedAt = PostgresValues.ReadTimestamp(reader.GetDateTime(10)),
                UpdatedAt = PostgresValues.ReadTimestamp(reader.GetDateTime(11)),
                DismissedBy = Nullable(reader, 12),
                DismissReason = Nullable(reader, 13),
                ApprovalId = Nullable(reader, 14),
                AppliedAt = reader.IsDBNull(15) ? null : PostgresValues.ReadTimestamp(reader.GetDateTime(15)),
                AppliedBy = Nullable(reader, 16),
            });
        }

        return list;
    }
}
