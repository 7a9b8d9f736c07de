namespace Helix.Gateway.Admin;

/// <summary>
/// The answer of <c>POST /admin/api/recommendations/{id}/apply</c>: the approval that decides it (202 while pending;
/// 200 when an approved one was applied by this call) and the recommendation as it stands.
/// </summary>
internal sealed record RecommendationApplyBody(string ApprovalId, string ApprovalUrl, RecommendationBody Recommendation);
