using System.Globalization;
using System.Text.Json;
using Helix.Core.Approvals;
using Helix.Core.Audit;
using Helix.Core.Principals;

namespace Helix.Dashboard.Model;

/// <summary>The approval queue as the dashboard shows and decides it, through the same <see cref="ApprovalService"/> the admin API uses.</summary>
/// <remarks>
/// <see cref="ApprovalService"/> enforces that only a human operator or admin who is not the requester decides, and
/// that a rejection has a reason; each decision is appended to the change history (<c>approval.approve</c>,
/// <c>approval.reject</c>) as the admin API records it. Thread-safe.
/// </remarks>
public sealed class ApprovalDecisions(ApprovalService approvals, IChangeHistory history)
{
    /// <summary>The clock the queue's statuses are read with.</summary>
    public TimeProvider Time => approvals.Time;

    /// <summary>The latest requests, pending ones first, then newest first; <paramref name="limit"/> at most.</summary>
    public async Task<IReadOnlyList<ApprovalRequest>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        var now = approvals.Time.GetUtcNow();
        var pending = await approvals.ListAsync(ApprovalStatus.Pending, limit, cancellationToken);
        var latest = await approvals.ListAsync(null, limit, cancellationToken);
        var pendingIds = pending.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return [.. pending.Concat(latest.Where(r => !pendingIds.Contains(r.Id) && r.StatusAt(now) != ApprovalStatus.Pending)).Take(limit)];
    }

    /// <summary>Approves (<paramref name="approve"/>) or rejects a pending request; a rejection needs <paramref name="reason"/>.</summary>
    public async Task<CommandResult> DecideAsync(Principal actor, string id, bool approve, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(id);
        if (DashboardCommands.Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return refused;
        }

        var result = approve
            ? await approvals.ApproveAsync(id, actor, reason, cancellationToken)
            : await approvals.RejectAsync(id, actor, reason, cancellationToken);
        if (!result.IsSuccess)
        {
            return new CommandResult(result.Error.Message);
        }

        var (before, after) = result.Value;
        var now = approvals.Time.GetUtcNow();
        await history.AppendAsync(
            new ChangeRecord(actor.Id, actor.Name, approve ? "approval.approve" : "approval.reject", id, Json(before, now), Json(after, now)),
            cancellationToken);
        return CommandResult.Done;
    }

    // The fields the admin API's approval item records, in its names.
    private static string Json(ApprovalRequest r, DateTimeOffset now) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = r.Id,
        ["status"] = ApprovalStatusNames.Name(r.StatusAt(now)),
        ["operation"] = r.Operation,
        ["principalId"] = r.PrincipalId,
        ["principalName"] = r.PrincipalName,
        ["model"] = r.Model,
        ["policy"] = ApprovalPolicyNames.Name(r.Policy),
        ["estimatedCostUsd"] = r.EstimatedCostUsd?.ToString(CultureInfo.InvariantCulture),
        ["requestHash"] = r.RequestHash,
        ["createdAt"] = r.CreatedAt,
        ["expiresAt"] = r.ExpiresAt,
        ["decidedAt"] = r.DecidedAt,
        ["decidedBy"] = r.DecidedBy,
        ["decidedByName"] = r.DecidedByName,
        ["reason"] = r.Reason,
    });
}
