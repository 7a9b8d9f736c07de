namespace Helix.Core.Approvals;

/// <summary>When a route's calls need a human approval before they run.</summary>
public enum ApprovalPolicyKind
{
    /// <summary>Never: calls run at once (the default).</summary>
    Never,

    /// <summary>Every call.</summary>
    Always,

    /// <summary>A call whose worst-case cost on the route's primary model exceeds the route's threshold, or is unknown.</summary>
    Above,

    /// <summary>Every call of an operation flagged money-moving.</summary>
    MoneyMoving,

    /// <summary>A call that would reach a model not yet approved for the operation.</summary>
    NewModel,

    /// <summary>
    /// Not a route policy: applying a recommendation (<c>POST /admin/api/recommendations/{id}/apply</c>). The approval
    /// is consumed by the change it approves, never by a call.
    /// </summary>
    Recommendation,
}
