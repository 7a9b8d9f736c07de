namespace Helix.Core.Approvals;

/// <summary>Where an approval request stands.</summary>
public enum ApprovalStatus
{
    /// <summary>Waiting for a human decision.</summary>
    Pending,

    /// <summary>Approved: one retry of the same call may pass, until it expires.</summary>
    Approved,

    /// <summary>Rejected, with a reason; stays rejected.</summary>
    Rejected,

    /// <summary>Not decided, or not used, before its expiry.</summary>
    Expired,

    /// <summary>Approved and used by one call; never again.</summary>
    Consumed,
}
