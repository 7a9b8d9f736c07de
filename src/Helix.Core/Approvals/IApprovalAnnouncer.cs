namespace Helix.Core.Approvals;

/// <summary>Tells the people who decide that a new approval request is waiting.</summary>
/// <remarks>Called on the request path: implementations queue and return, never block.</remarks>
public interface IApprovalAnnouncer
{
    /// <summary>Announces <paramref name="request"/>.</summary>
    void Announce(ApprovalRequest request);
}
