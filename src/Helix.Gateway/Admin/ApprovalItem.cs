using System.Text.Json.Serialization;
using Helix.Core.Approvals;

namespace Helix.Gateway.Admin;

/// <summary>An approval request as the admin API shows it: its status now (expiry applied), money as a decimal string.</summary>
internal sealed record ApprovalItem(
    string Id,
    string Status,
    string Operation,
    string PrincipalId,
    string PrincipalName,
    string Model,
    string Policy,
    string Why,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? EstimatedCostUsd,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RequestHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? DecidedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DecidedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? DecidedByName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ConsumedAt)
{
    public static ApprovalItem From(ApprovalRequest r, DateTimeOffset now) => new(
        r.Id, ApprovalStatusNames.Name(r.StatusAt(now)), r.Operation, r.PrincipalId, r.PrincipalName, r.Model,
        ApprovalPolicyNames.Name(r.Policy), r.Why, Usd.Format(r.EstimatedCostUsd), r.RequestHash, r.CreatedAt, r.ExpiresAt,
        r.DecidedAt, r.DecidedBy, r.DecidedByName, r.Reason, r.ConsumedAt);
}
