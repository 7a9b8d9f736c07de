using System.Text.Json;

namespace Helix.Gateway.Admin;

/// <summary>The <c>approval</c> part of <c>PUT /admin/api/routes/{operation}</c>: <c>{"policy","thresholdUsd"?,"approvedModels"?}</c>.</summary>
/// <remarks><see cref="ThresholdUsd"/> is a raw element: a decimal string (or a JSON number) of USD.</remarks>
internal sealed record RouteApprovalUpdate(string? Policy, JsonElement ThresholdUsd, IReadOnlyList<string>? ApprovedModels);
