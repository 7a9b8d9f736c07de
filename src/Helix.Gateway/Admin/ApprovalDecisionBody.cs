namespace Helix.Gateway.Admin;

/// <summary>The body of a decision: <c>{"reason":"…"}</c>, required to reject, optional to approve (the OpenAPI shape; the endpoint reads it strictly).</summary>
internal sealed record ApprovalDecisionBody(string? Reason);
