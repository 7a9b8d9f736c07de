using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.Pipeline;

namespace Helix.Core.Resilience;

/// <summary>Tries the route's models in order until one serves the call, within the call's overall deadline.</summary>
/// <remarks>
/// <para>
/// For each model it sets the target, its price in force and the request's worst case on it (meters and cost), then
/// runs the per-model steps. A model whose provider is not configured is skipped. A step may send the call on to the
/// next model (<see cref="OperationContext.NextModel"/>) or stop it with any other error. Once the deadline passes no
/// further model is tried.
/// </para>
/// <para>
/// When no model is left the call's error says why: every model blocked for want of a price (<c>price_unknown</c>),
/// none with a configured provider (503), or the last provider error. Thread-safe.
/// </para>
/// </remarks>
public sealed class FailoverStep : IOperationStep
{
    /// <summary>The skip code of a model whose provider is not configured.</summary>
    public const string ProviderNotConfigured = "provider_not_configured";

    private readonly SecondsMessage _deadlineReason = new("The call's overall deadline of {0:0.#} s passed.");
    private readonly PipelineServices _services;

    /// <summary>Creates the step.</summary>
    public FailoverStep(PipelineServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var decision = context.Route ?? throw new InvalidOperationException("Failover needs a route: add UseRouting before UseFailover.");
        var options = _services.Resilience;
        var time = _services.Time;

        // Both timers run on the injected clock. The deadline bounds the whole call: once it passes no further model
        // is tried, and a retry that would wait past it falls back instead.
        using var deadlineTimer = new CancellationTokenSource(options.OverallDeadline, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CallerToken, deadlineTimer.Token);
        context.CancellationToken = deadline.Token;
        context.DeadlineToken = deadlineTimer.Token;
        context.DeadlineReason = _deadlineReason.For(options.OverallDeadline);
        foreach (var target in decision.Targets)
        {
            if (deadline.IsCancellationRequested)
            {
                break;
            }

            if (!context.Call.IsServedBy(_services.Providers, target))
            {
                context.SkipModel(target.Id, ProviderNotConfigured, $"{target.Id}: provider '{target.Provider}' is not configured");
                continue;
            }

            var now = time.GetUtcNow();
            _services.Costs.TryFindPrice(target.Provider, target.ProviderModel, null, now, out var price);
            context.Target = target;
            context.Price = price;
            context.Estimate = context.Call.WorstCase(target, decision.Route, price);
            context.WorstCaseCostUsd = WorstCaseCost.Of(price, context.Estimate, context.Call.ServiceTier, now);
            var error = await next(context);
            if (error is null)
            {
                return null;
            }

            if (!ReferenceEquals(error, OperationContext.NextModel))
            {
                return error;
            }
        }

        // A caller that went away between attempts gets its cancellation, after the attempts made are durable.
        context.CallerToken.ThrowIfCancellationRequested();
        return NoModelLeft(context);
    }

    private static GatewayError NoModelLeft(OperationContext context)
    {
        var operation = context.Operation;
        var skipped = context.Skipped;
        if (context.Attempts.Count == 0 && skipped.Count > 0)
        {
            if (All(skipped, UnknownPricePolicyStep.PriceUnknown))
            {
                return GatewayError.PriceUnknown($"Operation '{operation}' blocks unpriced models and none of its models has a price: {Reasons(skipped)}.");
            }

            if (All(skipped, ProviderNotConfigured))
            {
                return new GatewayError("upstream_unavailable",
                    $"No model of operation '{operation}' can be called: {Reasons(skipped)}. Configure a provider for one of them, or route the operation to a model whose provider is configured.",
                    503, "server_error");
            }
        }

        var lastError = context.LastError;
        var reason = lastError is null ? Reasons(skipped) : $"last error: {lastError.Message}";
        return GatewayError.UpstreamUnavailable(
            $"Every model of operation '{operation}' failed after {context.Attempts.Count} attempt(s) ({reason}).",
            lastError?.RetryAfter);
    }

    private static bool All(IReadOnlyList<ModelSkip> skipped, string code)
    {
        foreach (var skip in skipped)
        {
            if (skip.Code != code)
            {
                return false;
            }
        }

        return true;
    }

    private static string Reasons(IReadOnlyList<ModelSkip> skipped) => string.Join("; ", skipped.Select(s => s.Reason));
}
