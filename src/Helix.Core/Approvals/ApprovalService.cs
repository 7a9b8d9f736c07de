using Helix.Core.Pipeline;
using Helix.Core.Principals;

namespace Helix.Core.Approvals;

/// <summary>Reads approval requests and records human decisions on them, under the rules no role can bend.</summary>
/// <remarks>
/// Only a human operator or admin who is not the requester decides; an agent never does, whatever its role or any
/// setting (enforced here, unconditionally, not only by the admin API's roles). A rejection needs a reason. A decision
/// applies only to a pending, unexpired request, atomically; it wakes the calls waiting for it. Thread-safe.
/// </remarks>
public sealed class ApprovalService
{
    /// <summary>The longest reason kept with a decision.</summary>
    public const int MaxReasonLength = 1000;

    private readonly IApprovalStore _store;
    private readonly ApprovalPolicyTable _policies;
    private readonly ApprovalWaiters _waiters;
    private readonly TimeProvider _time;
    private readonly IApprovedRequestHandler[] _handlers;

    /// <summary>Creates the service.</summary>
    /// <param name="store">The requests.</param>
    /// <param name="policies">The routes' policies (an approved new model is added to its route's).</param>
    /// <param name="waiters">The calls waiting for a decision.</param>
    /// <param name="time">The clock.</param>
    /// <param name="handlers">What acts on an approved request of a policy (applying a recommendation); none by default.</param>
    public ApprovalService(IApprovalStore store, ApprovalPolicyTable policies, ApprovalWaiters waiters, TimeProvider time, IEnumerable<IApprovedRequestHandler>? handlers = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(waiters);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _policies = policies;
        _waiters = waiters;
        _time = time;
        _handlers = handlers?.ToArray() ?? [];
    }

    /// <summary>The clock decisions and reads use.</summary>
    public TimeProvider Time => _time;

    /// <summary>The request with <paramref name="id"/>, or <see langword="null"/>.</summary>
    public Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _store.GetAsync(id, cancellationToken);
    }

    /// <summary>Requests newest first, only those with <paramref name="status"/> now when given.</summary>
    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, int limit, CancellationToken cancellationToken = default) =>
        _store.ListAsync(status, _time.GetUtcNow(), limit, cancellationToken);

    /// <summary>Whether <paramref name="principal"/> may decide approvals at all: a human operator or admin, never an agent.</summary>
    public static bool MayDecide(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.IsHuman && principal.Role is PrincipalRole.Operator or PrincipalRole.Admin;
    }

    /// <summary>Approves a pending request.</summary>
    /// <returns>The request before and after, or the error that refused the decision (nothing changed then).</returns>
    public Task<Result<(ApprovalRequest Before, ApprovalRequest After)>> ApproveAsync(
        string id, Principal decider, string? reason = null, CancellationToken cancellationToken = default) =>
        DecideAsync(id, decider, approve: true, reason, cancellationToken);

    /// <summary>Rejects a pending request; <paramref name="reason"/> is required.</summary>
    /// <returns>The request before and after, or the error that refused the decision (nothing changed then).</returns>
    public Task<Result<(ApprovalRequest Before, ApprovalRequest After)>> RejectAsync(
        string id, Principal decider, string? reason, CancellationToken cancellationToken = default) =>
        DecideAsync(id, decider, approve: false, reason, cancellationToken);

    private async Task<Result<(ApprovalRequest Before, ApprovalRequest After)>> DecideAsync(
        string id, Principal decider, bool approve, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(decider);
        if (decider.Role == PrincipalRole.Agent)
        {
            return ApprovalErrors.NotAllowed("An agent never decides an approval, not even its own request: a human operator or admin must.");
        }

        if (!MayDecide(decider))
        {
            return ApprovalErrors.NotAllowed($"Only a human operator or admin decides approvals; '{decider.Name}' is a {decider.Role.ToString().ToLowerInvariant()}.");
        }

        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (!approve && reason is null)
        {
            return GatewayError.InvalidRequest("A reason is required to reject: send {\"reason\":\"…\"}.", "reason_required");
        }

        if (reason?.Length > MaxReasonLength)
        {
            return GatewayError.InvalidRequest($"The reason must be at most {MaxReasonLength} characters.", "reason_too_long");
        }

        var request = await _store.GetAsync(id, cancellationToken);
        if (request is null)
        {
            return ApprovalErrors.NotFound(id);
        }

        if (string.Equals(request.PrincipalId, decider.Id, StringComparison.Ordinal))
        {
            return ApprovalErrors.NotAllowed($"'{decider.Name}' asked for approval {id} and may not decide it: another human must.");
        }

        var now = _time.GetUtcNow();
        var status = request.StatusAt(now);
        if (status != ApprovalStatus.Pending)
        {
            return ApprovalErrors.NotPending(request, status);
        }

        var decided = await _store.DecideAsync(id, new ApprovalDecision(approve, decider.Id, decider.Name, reason, now), cancellationToken);
        if (decided is null)
        {
            // Someone decided it, or it expired, between the read and the update: say what it is now.
            var current = await _store.GetAsync(id, cancellationToken) ?? request;
            return ApprovalErrors.NotPending(current, current.StatusAt(now));
        }

        if (approve && decided.Policy == ApprovalPolicyKind.NewModel)
        {
            await _policies.ApproveModelAsync(decided.Operation, decided.Model, decider.Id, now, cancellationToken);
        }

        _waiters.Signal(id);
        var handled = false;
        foreach (var handler in _handlers)
        {
            if (approve && handler.Policy == decided.Policy)
            {
                await handler.OnApprovedAsync(decided, decider, cancellationToken);
                handled = true;
            }
        }

        if (handled)
        {
            // What the handlers did (an approval consumed by the change it approved) is what the decider sees.
            decided = await _store.GetAsync(id, cancellationToken) ?? decided;
        }

        return (request, decided);
    }
}
