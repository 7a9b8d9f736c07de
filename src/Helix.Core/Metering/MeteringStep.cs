using Helix.Core.Alerts;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;

namespace Helix.Core.Metering;

/// <summary>Meters and prices each attempt when it ends, and raises the alerts a cost that cannot be trusted deserves.</summary>
/// <remarks>
/// <para>
/// Per attempt. A billed attempt with usage is priced from it (the reported model in preference to the requested one).
/// A billed attempt without usage (a stream cut before its usage chunk, a 200 whose body could not be read) was
/// still billed: it is priced from the call's own estimate and flagged <see cref="CostStatus.Estimated"/>, never
/// zero. A failure providers do not bill costs zero for a stated reason; one whose billing cannot be known is
/// unpriced. Alerts: <c>usage_unknown</c> for an estimated cost, <c>price_unknown</c> for an unpriced one.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class MeteringStep : IOperationStep
{
    private readonly CostEngine _costs;
    private readonly IAlertSink _alerts;
    private readonly TimeProvider _time;
    private readonly Func<Attempt, ValueTask> _settle;

    /// <summary>Creates the step.</summary>
    public MeteringStep(CostEngine costs, IAlertSink alerts, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(time);
        _costs = costs;
        _alerts = alerts;
        _time = time;
        _settle = attempt =>
        {
            attempt.Cost = CostOf(attempt);
            return ValueTask.CompletedTask;
        };
    }

    /// <inheritdoc/>
    public ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var attempt = context.Attempt ?? throw new InvalidOperationException("Metering runs per attempt: add it after UseRetry.");
        attempt.OnEnded(_settle);
        return next(context);
    }

    private CostResult CostOf(Attempt attempt)
    {
        switch (attempt.Billing)
        {
            case AttemptBilling.NotBilled:
            case AttemptBilling.NotSent:
                return CostResult.NotBilled(attempt.BillingReason ?? "the call was not billed");
            case AttemptBilling.Unknown:
                return CostResult.Unpriced(null, attempt.BillingReason ?? "whether the call was billed is unknown");
        }

        var context = attempt.Context;
        var target = attempt.Target;
        var usage = attempt.Usage;
        if (usage.IsKnown)
        {
            var cost = _costs.Price(target.Provider, target.ProviderModel, usage, attempt.Started, context.Call.ServiceTier);
            if (cost.Status == CostStatus.Unpriced)
            {
                Raise("price_unknown", cost.Reason ?? "No price.", attempt);
            }

            return cost;
        }

        // The provider billed the call but never said how much it used: price an estimate and flag it, never 0.
        var meters = context.Call.EstimateUsage(attempt, out var reason);
        Raise("usage_unknown", $"Call {context.RequestId} ended without usage; its cost is estimated.", attempt);
        if (!_costs.TryFindPrice(target.Provider, target.ProviderModel, usage.ReportedModel, attempt.Started, out var price))
        {
            var unpriced = $"usage unknown and no price for {target.Id}";
            Raise("price_unknown", unpriced, attempt);
            return CostResult.Unpriced(null, unpriced);
        }

        var estimated = CostCalculator.Calculate(price!, meters, context.Call.ServiceTier, attempt.Started);
        return estimated with { Status = CostStatus.Estimated, Reason = reason };
    }

    private void Raise(string kind, string message, Attempt attempt) =>
        _alerts.Raise(new Alert(kind, message, attempt.Context.Operation, attempt.Target.Id, _time.GetUtcNow()));
}
