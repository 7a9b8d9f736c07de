using System.Text.Json.Serialization;
using Helix.Core.Approvals;

namespace Helix.Gateway.Admin;

/// <summary>A route's approval policy as the admin API shows it; <c>thresholdUsd</c> a decimal string or null.</summary>
internal sealed record RouteApprovalItem(
    string Policy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ThresholdUsd,
    bool MoneyMoving,
    IReadOnlyList<string> ApprovedModels)
{
    public static RouteApprovalItem From(RouteApprovalPolicy p) =>
        new(ApprovalPolicyNames.Name(p.Policy), Usd.Format(p.ThresholdUsd), p.MoneyMoving, p.ApprovedModels);
}
