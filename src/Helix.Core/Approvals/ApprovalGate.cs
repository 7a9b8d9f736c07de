using System.Globalization;
using Helix.Core.Metering;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Routing;

namespace Helix.Core.Approvals;

/// <summary>Holds a call that its route's approval policy says a human must approve, and lets its approved retry pass once.</summary>
/// <remarks>
/// <para>
/// Runs once per call, right after routing. A route whose policy is <c>never</c> (the default) costs one dictionary
/// read and nothing else. A call that needs approval stores a pending request bound to the operation, the caller's
/// id and the SHA-256 of the request body, announces it, and stops with 403 <c>approval_required</c> before any
/// provider is called: nothing is reserved, nothing is logged as a provider call. A call that presents an approval
/// (<see cref="OperationContext.ApprovalId"/>) passes only if that approval is bound to the same operation, caller
/// and body, is approved, unexpired, and is consumed by this call in one atomic change; any other state is a precise
/// 403 (<c>approval_rejected</c>, <c>approval_expired</c>, <c>approval_consumed</c>, <c>approval_mismatch</c>,
/// <c>approval_pending</c>) or 404 <c>approval_not_found</c>.
/// </para>
/// <para>
/// With <see cref="OperationContext.ApprovalWait"/> the call is held (at most <see cref="ApprovalOptions.MaxWait"/>)
/// until a decision signals it; the caller going away ends the wait and changes nothing. Thread-safe.
/// </para>
/// </remarks>
public sealed class ApprovalGate : IOperationStep
{
    private readonly IApprovalStore _store;
    private readonly ApprovalPolicyTable _policies;
    private readonly ApprovalWaiters _waiters;
    private readonly IApprovalAnnouncer _announcer;
    private readonly CostEngine _costs;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;

    /// <summary>Creates the gate.</summary>
    public ApprovalGate(
        IApprovalStore store, ApprovalPolicyTable policies, ApprovalWaiters waiters, IApprovalAnnouncer announcer,
        CostEngine costs, ApprovalOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(waiters);
        ArgumentNullException.ThrowIfNull(announcer);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _policies = policies;
        _waiters = waiters;
        _announcer = announcer;
        _costs = costs;
        _time = time;
        _ttl = options.Ttl;
    }

    /// <inheritdoc/>
    public ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.ApprovalId is null && _policies.Find(context.Operation) is null or { Policy: ApprovalPolicyKind.Never })
        {
            return next(context);
        }

        return GateAsync(context, next);
    }

    private async ValueTask<GatewayError?> GateAsync(OperationContext context, OperationDelegate next)
    {
        var decision = context.Route ?? throw new InvalidOperationException("The approval gate needs a route: add UseRouting before UseApprovalGate.");
        if (context.ApprovalId is { } presented)
        {
            return await RedeemAsync(context, next, presented);
        }

        var policy = _policies.Get(context.Operation);
        var now = _time.GetUtcNow();
        var primary = decision.Targets[0];
        _costs.TryFindPrice(primary.Provider, primary.ProviderModel, null, now, out var price);
        var worstCase = WorstCaseCost.Of(price, context.Call.WorstCase(primary, decision.Route, price), context.Call.ServiceTier, now);
        var need = Evaluate(policy, decision, worstCase);
        if (need is null)
        {
            return await next(context);
        }

        var request = new ApprovalRequest
        {
            Id = "apr_" + Guid.CreateVersion7(now).ToString("N"),
            Operation = context.Operation,
            PrincipalId = context.Principal.Id,
            PrincipalName = context.Principal.Name,
            RequestHash = context.RequestHash,
            EstimatedCostUsd = worstCase,
            Model = need.Value.Model,
            Policy = policy.Policy,
            Why = need.Value.Why,
            CreatedAt = now,
            ExpiresAt = now + _ttl,
        };
        await _store.CreateAsync(request, context.CallerToken);
        _announcer.Announce(request);
        if (context.ApprovalWait <= TimeSpan.Zero)
        {
            return ApprovalErrors.Required(request);
        }

        return await WaitThenRedeemAsync(context, next, request, ApprovalErrors.Required(request));
    }

    private async ValueTask<GatewayError?> RedeemAsync(OperationContext context, OperationDelegate next, string id)
    {
        var request = await _store.GetAsync(id, context.CallerToken);
        if (request is null)
        {
            return ApprovalErrors.NotFound(id);
        }

        if (request.Policy == ApprovalPolicyKind.Recommendation)
        {
            return ApprovalErrors.Mismatch(request, "it approves applying a recommendation, not a call");
        }

        if (!string.Equals(request.Operation, context.Operation, StringComparison.OrdinalIgnoreCase))
        {
            return ApprovalErrors.Mismatch(request, $"it is for operation '{request.Operation}', not '{context.Operation}'");
        }

        if (!string.Equals(request.PrincipalId, context.Principal.Id, StringComparison.Ordinal))
        {
            return ApprovalErrors.Mismatch(request, "it was asked for by another caller");
        }

        if (!string.Equals(request.RequestHash, context.RequestHash, StringComparison.Ordinal))
        {
            return ApprovalErrors.Mismatch(request, "the request body differs from the one approved");
        }

        if (request.StatusAt(_time.GetUtcNow()) == ApprovalStatus.Pending && context.ApprovalWait > TimeSpan.Zero)
        {
            return await WaitThenRedeemAsync(context, next, request, ApprovalErrors.Pending(request));
        }

        return await ConsumeAsync(context, next, request);
    }

    private async ValueTask<GatewayError?> WaitThenRedeemAsync(OperationContext context, OperationDelegate next, ApprovalRequest request, GatewayError undecided)
    {
        var wait = context.ApprovalWait > ApprovalOptions.MaxWait ? ApprovalOptions.MaxWait : context.ApprovalWait;
        var decided = await _waiters.WaitAsync(
            request.Id,
            async ct => await _store.GetAsync(request.Id, ct) is { } current && current.StatusAt(_time.GetUtcNow()) != ApprovalStatus.Pending,
            wait,
            context.CallerToken);
        if (!decided)
        {
            return undecided;
        }

        var current = await _store.GetAsync(request.Id, context.CallerToken) ?? request;
        return await ConsumeAsync(context, next, current);
    }

    private async ValueTask<GatewayError?> ConsumeAsync(OperationContext context, OperationDelegate next, ApprovalRequest request)
    {
        var now = _time.GetUtcNow();
        switch (request.StatusAt(now))
        {
            case ApprovalStatus.Pending:
                return ApprovalErrors.Pending(request);
            case ApprovalStatus.Rejected:
                return ApprovalErrors.Rejected(request);
            case ApprovalStatus.Expired:
                return ApprovalErrors.Expired(request);
            case ApprovalStatus.Consumed:
                return ApprovalErrors.Consumed(request);
        }

        if (!await _store.TryConsumeAsync(request.Id, now, context.CallerToken))
        {
            // Another retry consumed it first, or it expired in between: say which.
            var current = await _store.GetAsync(request.Id, context.CallerToken) ?? request;
            return current.StatusAt(_time.GetUtcNow()) == ApprovalStatus.Expired ? ApprovalErrors.Expired(current) : ApprovalErrors.Consumed(current);
        }

        return await next(context);
    }

    private static (string Model, string Why)? Evaluate(RouteApprovalPolicy policy, RouteDecision decision, decimal? worstCase)
    {
        var primary = decision.Targets[0].Id;
        switch (policy.Policy)
        {
            case ApprovalPolicyKind.Always:
                return (primary, "policy 'always': every call is approved by a human");
            case ApprovalPolicyKind.Above:
                var threshold = policy.ThresholdUsd ?? 0m;
                if (worstCase is null)
                {
                    return (primary, $"policy 'above': the worst-case cost on {primary} is unknown (no price), so it cannot be shown to be within {Usd(threshold)} USD");
                }

                return worstCase > threshold
                    ? (primary, $"policy 'above': the worst-case cost {Usd(worstCase.Value)} USD exceeds {Usd(threshold)} USD")
                    : null;
            case ApprovalPolicyKind.MoneyMoving:
                return policy.MoneyMoving ? (primary, "policy 'money-moving': the operation moves money") : null;
            case ApprovalPolicyKind.NewModel:
                foreach (var target in decision.Targets)
                {
                    if (!policy.IsApproved(target.Id))
                    {
                        return (target.Id, $"policy 'new-model': model {target.Id} is not yet approved for this operation");
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string Usd(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
