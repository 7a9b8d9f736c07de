using System.Text.Json;
using Helix.Core.Approvals;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>Approval requests and the routes' approval policies in SQLite (migration 0011).</summary>
/// <remarks>
/// Every status change is one conditional <c>UPDATE</c> on the writer connection (<c>WHERE status = 'approved' AND
/// expires_at_ms &gt; now</c> to consume, <c>status = 'pending'</c> to decide), so of concurrent retries exactly one
/// consumes an approval. Thread-safe.
/// </remarks>
public sealed class SqliteApprovalStore : IApprovalStore
{
    private const string Columns =
        "id, operation, principal_id, principal_name, request_hash, estimated_cost, model, policy, why, created_at, expires_at_ms, status, decided_at, decided_by, decided_by_name, reason, consumed_at";

    private readonly SqliteDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteApprovalStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = $"""
                INSERT INTO approval_requests ({Columns})
                VALUES ($id, $operation, $principalId, $principalName, $hash, $cost, $model, $policy, $why, $createdAt, $expiresAt, 'pending', NULL, NULL, NULL, NULL, NULL)
                """;
            insert.Parameters.AddWithValue("$id", request.Id);
            insert.Parameters.AddWithValue("$operation", request.Operation);
            insert.Parameters.AddWithValue("$principalId", request.PrincipalId);
            insert.Parameters.AddWithValue("$principalName", request.PrincipalName);
            insert.Parameters.AddWithValue("$hash", SqliteValues.OrNull(request.RequestHash));
            insert.Parameters.AddWithValue("$cost", SqliteValues.FormatDecimal(request.EstimatedCostUsd));
            insert.Parameters.AddWithValue("$model", request.Model);
            insert.Parameters.AddWithValue("$policy", ApprovalPolicyNames.Name(request.Policy));
            insert.Parameters.AddWithValue("$why", request.Why);
            insert.Parameters.AddWithValue("$createdAt", SqliteValues.FormatTimestamp(request.CreatedAt));
            insert.Parameters.AddWithValue("$expiresAt", request.ExpiresAt.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM approval_requests WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var where = status switch
        {
            null => "1 = 1",
            ApprovalStatus.Pending => "status = 'pending' AND expires_at_ms > $now",
            ApprovalStatus.Approved => "status = 'approved' AND expires_at_ms > $now",
            ApprovalStatus.Expired => "status IN ('pending', 'approved') AND expires_at_ms <= $now",
            ApprovalStatus.Rejected => "status = 'rejected'",
            _ => "status = 'consumed'",
        };
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM approval_requests WHERE {where} ORDER BY created_at DESC, id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ApprovalRequest?> DecideAsync(string id, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(decision);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var update = connection.CreateCommand();
            update.CommandText = $"""
                UPDATE approval_requests
                SET status = $status, decided_at = $at, decided_by = $by, decided_by_name = $byName, reason = $reason
                WHERE id = $id AND status = 'pending' AND expires_at_ms > $now
                RETURNING {Columns}
                """;
            update.Parameters.AddWithValue("$status", decision.Approve ? "approved" : "rejected");
            update.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(decision.At));
            update.Parameters.AddWithValue("$by", decision.DecidedBy);
            update.Parameters.AddWithValue("$byName", decision.DecidedByName);
            update.Parameters.AddWithValue("$reason", SqliteValues.OrNull(decision.Reason));
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$now", decision.At.ToUnixTimeMilliseconds());
            var decided = await ReadAsync(update, ct);
            return decided.Count == 0 ? null : decided[0];
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> TryConsumeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var update = connection.CreateCommand();
            update.CommandText = """
                UPDATE approval_requests SET status = 'consumed', consumed_at = $at
                WHERE id = $id AND status = 'approved' AND expires_at_ms > $now
                """;
            update.Parameters.AddWithValue("$at", SqliteValues.FormatTimestamp(now));
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return await update.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RouteApprovalPolicy>> GetPoliciesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT operation, policy, threshold_usd, money_moving, approved_models, updated_at, updated_by FROM route_approval_policies ORDER BY operation";
        var policies = new List<RouteApprovalPolicy>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var operation = reader.GetString(0);
            if (!ApprovalPolicyNames.TryParse(reader.GetString(1), out var kind))
            {
                throw new SqliteSchemaException($"Route '{operation}' has an unknown approval policy '{reader.GetString(1)}' in route_approval_policies.");
            }

            policies.Add(new RouteApprovalPolicy
            {
                Operation = operation,
                Policy = kind,
                ThresholdUsd = reader.IsDBNull(2) ? null : SqliteValues.ParseDecimal(reader.GetString(2)),
                MoneyMoving = reader.GetBoolean(3),
                ApprovedModels = JsonSerializer.Deserialize(reader.GetString(4), SqliteJsonContext.Default.StringArray) ?? [],
                UpdatedAt = SqliteValues.ParseTimestamp(reader.GetString(5)),
                UpdatedBy = reader.GetString(6),
            });
        }

        return policies;
    }

    /// <inheritdoc/>
    public Task SavePolicyAsync(RouteApprovalPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return _database.WriteAsync(async (connection, ct) =>
        {
            using var upsert = connection.CreateCommand();
            upsert.CommandText = """
                INSERT INTO route_approval_policies (operation, policy, threshold_usd, money_moving, approved_models, updated_at, updated_by)
                VALUES ($operation, $policy, $threshold, $moneyMoving, $models, $updatedAt, $updatedBy)
                ON CONFLICT (operation) DO UPDATE SET
                    policy = excluded.policy, threshold_usd = excluded.threshold_usd, money_moving = excluded.money_moving,
                    approved_models = excluded.approved_models, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """;
            upsert.Parameters.AddWithValue("$operation", policy.Operation);
            upsert.Parameters.AddWithValue("$policy", ApprovalPolicyNames.Name(policy.Policy));
            upsert.Parameters.AddWithValue("$threshold", SqliteValues.FormatDecimal(policy.ThresholdUsd));
            upsert.Parameters.AddWithValue("$moneyMoving", policy.MoneyMoving);
            upsert.Parameters.AddWithValue("$models", JsonSerializer.Serialize([.. policy.ApprovedModels], SqliteJsonContext.Default.StringArray));
            upsert.Parameters.AddWithValue("$updatedAt", SqliteValues.FormatTimestamp(policy.UpdatedAt));
            upsert.Parameters.AddWithValue("$updatedBy", policy.UpdatedBy);
            await upsert.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);
    }

    private static async Task<List<ApprovalRequest>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var requests = new List<ApprovalRequest>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!ApprovalPolicyNames.TryParse(reader.GetString(7), out var policy) || !ApprovalStatusNames.TryParse(reader.GetString(11), out var status))
            {
                throw new SqliteSchemaException($"Approval '{reader.GetString(0)}' has an unknown policy '{reader.GetString(7)}' or status '{reader.GetString(11)}'.");
            }

            requests.Add(new ApprovalRequest
            {
                Id = reader.GetString(0),
                Operation = reader.GetString(1),
                PrincipalId = reader.GetString(2),
                PrincipalName = reader.GetString(3),
                RequestHash = reader.IsDBNull(4) ? null : reader.GetString(4),
                EstimatedCostUsd = reader.IsDBNull(5) ? null : SqliteValues.ParseDecimal(reader.GetString(5)),
                Model = reader.GetString(6),
                Policy = policy,
                Why = reader.GetString(8),
                CreatedAt = SqliteValues.ParseTimestamp(reader.GetString(9)),
                ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
                Status = status,
                DecidedAt = reader.IsDBNull(12) ? null : SqliteValues.ParseTimestamp(reader.GetString(12)),
                DecidedBy = reader.IsDBNull(13) ? null : reader.GetString(13),
                DecidedByName = reader.IsDBNull(14) ? null : reader.GetString(14),
                Reason = reader.IsDBNull(15) ? null : reader.GetString(15),
                ConsumedAt = reader.IsDBNull(16) ? null : SqliteValues.ParseTimestamp(reader.GetString(16)),
            });
        }

        return requests;
    }
}
