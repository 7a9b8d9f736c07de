using Helix.Core.Approvals;
using Npgsql;
using NpgsqlTypes;

namespace Helix.Storage.Postgres;

/// <summary>Approval requests and the routes' approval policies in PostgreSQL (migration 0010).</summary>
/// <remarks>
/// Every status change is one conditional <c>UPDATE</c> (<c>WHERE status = 'approved' AND expires_at &gt; now</c> to
/// consume, <c>status = 'pending'</c> to decide): PostgreSQL's row lock makes a concurrent second update wait, then
/// re-check the condition against the committed row and change nothing, so of any number of concurrent retries on
/// any number of instances exactly one consumes an approval. A policy saved notifies the other instances
/// (<see cref="PostgresChangeChannel.Approvals"/>). Thread-safe.
/// </remarks>
public sealed class PostgresApprovalStore : IApprovalStore
{
    private const string Columns =
        "id, operation, principal_id, principal_name, request_hash, estimated_cost, model, policy, why, created_at, expires_at, status, decided_at, decided_by, decided_by_name, reason, consumed_at";

    private readonly PostgresDatabase _database;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresApprovalStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public async Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO approval_requests ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', NULL, NULL, NULL, NULL, NULL)
            """, connection);
        insert.Parameters.AddWithValue(request.Id);
        insert.Parameters.AddWithValue(request.Operation);
        insert.Parameters.AddWithValue(request.PrincipalId);
        insert.Parameters.AddWithValue(request.PrincipalName);
        insert.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(request.RequestHash));
        insert.Parameters.AddWithValue(NpgsqlDbType.Numeric, PostgresValues.OrNull(request.EstimatedCostUsd));
        insert.Parameters.AddWithValue(request.Model);
        insert.Parameters.AddWithValue(ApprovalPolicyNames.Name(request.Policy));
        insert.Parameters.AddWithValue(request.Why);
        insert.Parameters.AddWithValue(PostgresValues.Timestamp(request.CreatedAt));
        insert.Parameters.AddWithValue(PostgresValues.Timestamp(request.ExpiresAt));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM approval_requests WHERE id = $1", connection);
        command.Parameters.AddWithValue(id);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var where = status switch
        {
            null => "true",
            ApprovalStatus.Pending => "status = 'pending' AND expires_at > $1",
            ApprovalStatus.Approved => "status = 'approved' AND expires_at > $1",
            ApprovalStatus.Expired => "status IN ('pending', 'approved') AND expires_at <= $1",
            ApprovalStatus.Rejected => "status = 'rejected'",
            _ => "status = 'consumed'",
        };
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM approval_requests WHERE {where} ORDER BY created_at DESC, id COLLATE \"C\" DESC LIMIT $2", connection);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(now));
        command.Parameters.AddWithValue(limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ApprovalRequest?> DecideAsync(string id, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(decision);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var update = new NpgsqlCommand($"""
            UPDATE approval_requests
            SET status = $1, decided_at = $2, decided_by = $3, decided_by_name = $4, reason = $5
            WHERE id = $6 AND status = 'pending' AND expires_at > $2
            RETURNING {Columns}
            """, connection);
        update.Parameters.AddWithValue(decision.Approve ? "approved" : "rejected");
        update.Parameters.AddWithValue(PostgresValues.Timestamp(decision.At));
        update.Parameters.AddWithValue(decision.DecidedBy);
        update.Parameters.AddWithValue(decision.DecidedByName);
        update.Parameters.AddWithValue(NpgsqlDbType.Text, PostgresValues.OrNull(decision.Reason));
        update.Parameters.AddWithValue(id);
        var decided = await ReadAsync(update, cancellationToken);
        return decided.Count == 0 ? null : decided[0];
    }

    /// <inheritdoc/>
    public async Task<bool> TryConsumeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var update = new NpgsqlCommand("""
            UPDATE approval_requests SET status = 'consumed', consumed_at = $1
            WHERE id = $2 AND status = 'approved' AND expires_at > $1
            """, connection);
        update.Parameters.AddWithValue(PostgresValues.Timestamp(now));
        update.Parameters.AddWithValue(id);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RouteApprovalPolicy>> GetPoliciesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT operation, policy, threshold_usd, money_moving, approved_models, updated_at, updated_by FROM route_approval_policies ORDER BY operation COLLATE \"C\"",
            connection);
        List<RouteApprovalPolicy> policies = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var operation = reader.GetString(0);
            if (!ApprovalPolicyNames.TryParse(reader.GetString(1), out var kind))
            {
                throw new PostgresSchemaException($"Route '{operation}' has an unknown approval policy '{reader.GetString(1)}' in route_approval_policies.");
            }

            policies.Add(new RouteApprovalPolicy
            {
                Operation = operation,
                Policy = kind,
                ThresholdUsd = reader.IsDBNull(2) ? null : reader.GetDecimal(2),
                MoneyMoving = reader.GetBoolean(3),
                ApprovedModels = reader.GetFieldValue<string[]>(4),
                UpdatedAt = PostgresValues.ReadTimestamp(reader.GetDateTime(5)),
                UpdatedBy = reader.GetString(6),
            });
        }

        return policies;
    }

    /// <inheritdoc/>
    public async Task SavePolicyAsync(RouteApprovalPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO route_approval_policies (operation, policy, threshold_usd, money_moving, approved_models, updated_at, updated_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (lower(operation)) DO UPDATE SET
                policy = excluded.policy, threshold_usd = excluded.threshold_usd, money_moving = excluded.money_moving,
                approved_models = excluded.approved_models, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """);
        upsert.Parameters.AddWithValue(policy.Operation);
        upsert.Parameters.AddWithValue(ApprovalPolicyNames.Name(policy.Policy));
        upsert.Parameters.AddWithValue(NpgsqlDbType.Numeric, PostgresValues.OrNull(policy.ThresholdUsd));
        upsert.Parameters.AddWithValue(policy.MoneyMoving);
        upsert.Parameters.AddWithValue(policy.ApprovedModels.ToArray());
        upsert.Parameters.AddWithValue(PostgresValues.Timestamp(policy.UpdatedAt));
        upsert.Parameters.AddWithValue(policy.UpdatedBy);
        batch.BatchCommands.Add(upsert);
        batch.BatchCommands.Add(PostgresChangeChannel.Notify(PostgresChangeChannel.Approvals));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<ApprovalRequest>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        List<ApprovalRequest> requests = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!ApprovalPolicyNames.TryParse(reader.GetString(7), out var policy) || !ApprovalStatusNames.TryParse(reader.GetString(11), out var status))
            {
                throw new PostgresSchemaException($"Approval '{reader.GetString(0)}' has an unknown policy '{reader.GetString(7)}' or status '{reader.GetString(11)}'.");
            }

            requests.Add(new ApprovalRequest
            {
                Id = reader.GetString(0),
                Operation = reader.GetString(1),
                PrincipalId = reader.GetString(2),
                PrincipalName = reader.GetString(3),
                RequestHash = reader.IsDBNull(4) ? null : reader.GetString(4),
                EstimatedCostUsd = reader.IsDBNull(5) ? null : reader.GetDecimal(5),
                Model = reader.GetString(6),
                Policy = policy,
                Why = reader.GetString(8),
                CreatedAt = PostgresValues.ReadTimestamp(reader.GetDateTime(9)),
                ExpiresAt = PostgresValues.ReadTimestamp(reader.GetDateTime(10)),
                Status = status,
                DecidedAt = reader.IsDBNull(12) ? null : PostgresValues.ReadTimestamp(reader.GetDateTime(12)),
                DecidedBy = reader.IsDBNull(13) ? null : reader.GetString(13),
                DecidedByName = reader.IsDBNull(14) ? null : reader.GetString(14),
                Reason = reader.IsDBNull(15) ? null : reader.GetString(15),
                ConsumedAt = reader.IsDBNull(16) ? null : PostgresValues.ReadTimestamp(reader.GetDateTime(16)),
            });
        }

        return requests;
    }
}
