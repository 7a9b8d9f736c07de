using System.Globalization;
using Helix.Core.Alerts;

namespace Helix.Core.Approvals;

/// <summary>Announces each approval request as an <c>approval_requested</c> alert, stored and sent to every notifier (Discord, Slack, webhook).</summary>
/// <remarks>One alert per request (its dedupe key is the request's id). Thread-safe; queues and returns.</remarks>
public sealed class AlertApprovalAnnouncer : IApprovalAnnouncer
{
    /// <summary>The alert type of an approval request.</summary>
    public const string AlertType = "approval_requested";

    private readonly AlertCenter _alerts;

    /// <summary>Announces through <paramref name="alerts"/>.</summary>
    public AlertApprovalAnnouncer(AlertCenter alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        _alerts = alerts;
    }

    /// <inheritdoc/>
    public void Announce(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cost = request.EstimatedCostUsd is { } usd ? $"{usd.ToString(CultureInfo.InvariantCulture)} USD at most" : "cost unknown (no price)";
        _alerts.Enqueue(new AlertRecord
        {
            Type = AlertType,
            Severity = "warning",
            Scope = "operation",
            Subject = request.Operation,
            SpentUsd = request.EstimatedCostUsd,
            Message = string.Create(CultureInfo.InvariantCulture,
                $"Approval {request.Id} requested: '{request.PrincipalName}' calls operation '{request.Operation}' on {request.Model} ({request.Why}; {cost}). Decide before {request.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}: POST /admin/api/approvals/{request.Id}/approve or /reject."),
            CreatedAt = request.CreatedAt,
            DedupeKey = $"approval:{request.Id}",
            Once = true,
        });
    }
}
