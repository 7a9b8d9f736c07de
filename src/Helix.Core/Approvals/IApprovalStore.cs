namespace Helix.Core.Approvals;

/// <summary>Where approval requests and the routes' approval policies are kept.</summary>
/// <remarks>
/// Implementations are thread-safe and make each status change one atomic conditional update: a decision applies only
/// to a pending, unexpired request; a consumption only to an approved, unexpired one, so of any number of concurrent
/// retries exactly one consumes an approval.
/// </remarks>
public interface IApprovalStore
{
    /// <summary>Stores a new pending request.</summary>
    Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken = default);

    /// <summary>The request with <paramref name="id"/>, or <see langword="null"/>.</summary>
    Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Requests newest first, only those with <paramref name="status"/> at <paramref name="now"/> when given.</summary>
    Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Approves or rejects the request if it is pending and unexpired at <see cref="ApprovalDecision.At"/>.</summary>
    /// <returns>The decided request, or <see langword="null"/> when it was not pending (or had expired): nothing changed.</returns>
    Task<ApprovalRequest?> DecideAsync(string id, ApprovalDecision decision, CancellationToken cancellationToken = default);

    /// <summary>Turns an approved, unexpired request into a consumed one, atomically.</summary>
    /// <returns>Whether this call consumed it; <see langword="false"/> when it was not approved, already consumed, or expired.</returns>
    Task<bool> TryConsumeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Every route's approval policy that was ever set.</summary>
    Task<IReadOnlyList<RouteApprovalPolicy>> GetPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves (inserts or replaces) a route's approval policy.</summary>
    Task SavePolicyAsync(RouteApprovalPolicy policy, CancellationToken cancellationToken = default);
}
