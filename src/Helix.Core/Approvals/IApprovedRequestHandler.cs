using Helix.Core.Principals;

namespace Helix.Core.Approvals;

/// <summary>Acts on a request of one policy once a human approved it, e.g. applies the change the request stood for.</summary>
/// <remarks>
/// Called by <see cref="ApprovalService"/> right after the approval is stored, with the decider. A handler that makes a
/// change consumes the approval first (<see cref="IApprovalStore.TryConsumeAsync"/>), so of any number of calls exactly
/// one applies it. Implementations are thread-safe.
/// </remarks>
public interface IApprovedRequestHandler
{
    /// <summary>The policy whose approved requests this handler acts on.</summary>
    ApprovalPolicyKind Policy { get; }

    /// <summary>Acts on <paramref name="approved"/>, approved by <paramref name="decider"/>.</summary>
    Task OnApprovedAsync(ApprovalRequest approved, Principal decider, CancellationToken cancellationToken = default);
}
