using System.Text.Json;

namespace Helix.Gateway.Admin;

/// <summary>The body of <c>PUT /admin/api/routes/{operation}</c>; what it leaves out stays as it is.</summary>
/// <remarks>
/// <see cref="MaxOutputTokens"/> is a raw element so that an absent field (keep the cap) and <c>null</c> (remove it)
/// differ. <see cref="Approval"/> and <see cref="MoneyMoving"/> set the route's approval policy.
/// </remarks>
internal sealed record RouteUpdate(
    string? PrimaryModel, IReadOnlyList<string>? FallbackModels, string? UnknownPricePolicy, JsonElement MaxOutputTokens,
    RouteApprovalUpdate? Approval = null, bool? MoneyMoving = null);
