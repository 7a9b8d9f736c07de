namespace Helix.Core.Approvals;

/// <summary>A human's decision on a pending approval request.</summary>
/// <param name="Approve">Approve, or reject.</param>
/// <param name="DecidedBy">The decider's principal id.</param>
/// <param name="DecidedByName">The decider's name.</param>
/// <param name="Reason">Why (required to reject).</param>
/// <param name="At">When.</param>
public sealed record ApprovalDecision(bool Approve, string DecidedBy, string DecidedByName, string? Reason, DateTimeOffset At);
