namespace Helix.Core.Approvals;

/// <summary>A call held for a human decision, bound to its operation, its caller and the hash of its body.</summary>
/// <remarks>Immutable; the store changes its status (pending → approved|rejected, approved → consumed) atomically.</remarks>
public sealed record ApprovalRequest
{
    /// <summary>The id the caller presents in <c>X-Helix-Approval</c> (<c>apr_</c> and 32 hex digits).</summary>
    public required string Id { get; init; }

    /// <summary>The operation (canonical name) the approval is for.</summary>
    public required string Operation { get; init; }

    /// <summary>The id of the principal who asked; only that principal's retry may use the approval.</summary>
    public required string PrincipalId { get; init; }

    /// <summary>The name of the principal who asked, as people read it.</summary>
    public required string PrincipalName { get; init; }

    /// <summary>The lowercase hex SHA-256 of the request body, or <see langword="null"/> when the entry had no body bytes.</summary>
    public string? RequestHash { get; init; }

    /// <summary>The worst-case cost in USD on the model, or <see langword="null"/> when the model has no price.</summary>
    public decimal? EstimatedCostUsd { get; init; }

    /// <summary>The model the call would reach first (for <see cref="ApprovalPolicyKind.NewModel"/>: the model not yet approved).</summary>
    public required string Model { get; init; }

    /// <summary>The policy that asked for the approval.</summary>
    public ApprovalPolicyKind Policy { get; init; }

    /// <summary>Why the approval is needed, in a sentence.</summary>
    public required string Why { get; init; }

    /// <summary>When it was asked for.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it expires: it must be decided and used before then.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When it was decided, if it was.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>The id of the human who decided, if decided.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>The name of the human who decided, if decided.</summary>
    public string? DecidedByName { get; init; }

    /// <summary>The reason given with the decision (required to reject).</summary>
    public string? Reason { get; init; }

    /// <summary>When the approved call used it.</summary>
    public DateTimeOffset? ConsumedAt { get; init; }

    /// <summary>The stored status: pending, approved, rejected or consumed (expiry is read with <see cref="StatusAt"/>).</summary>
    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;

    /// <summary>The status at <paramref name="now"/>: a pending or approved request past its expiry is expired.</summary>
    public ApprovalStatus StatusAt(DateTimeOffset now) =>
        Status is ApprovalStatus.Pending or ApprovalStatus.Approved && now >= ExpiresAt ? ApprovalStatus.Expired : Status;
}
