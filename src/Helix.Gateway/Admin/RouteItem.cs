using System.Text.Json.Serialization;
using Helix.Core.Routing;

namespace Helix.Gateway.Admin;

/// <summary>A route as the admin API shows it; <c>maxOutputTokens</c> is always present (null: the model's own maximum).</summary>
internal sealed record RouteItem(
    string Operation,
    string PrimaryModel,
    IReadOnlyList<string> FallbackModels,
    string Modality,
    bool Enabled,
    string UnknownPricePolicy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? MaxOutputTokens,
    bool Retired,
    long Version,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    RouteApprovalItem? Approval = null)
{
    public static RouteItem From(RouteConfig r) => new(
        r.Operation, r.PrimaryModel, r.FallbackModels, r.Modality.ToString().ToLowerInvariant(), r.Enabled,
        r.UnknownPricePolicy.ToString().ToLowerInvariant(), r.MaxOutputTokens, r.Retired, r.Version, r.UpdatedAt, r.UpdatedBy);

    /// <summary>The route with its approval policy (<c>approval</c>).</summary>
    public static RouteItem From(RouteConfig r, Helix.Core.Approvals.ApprovalPolicyTable? policies) =>
        policies is { IsLoaded: true } ? From(r) with { Approval = RouteApprovalItem.From(policies.Get(r.Operation)) } : From(r);
}
