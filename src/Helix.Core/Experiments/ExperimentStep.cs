using Helix.Core.Pipeline;

namespace Helix.Core.Experiments;

/// <summary>After routing: a call of an operation under experiment takes its arm's model first, keeping the route's fallbacks.</summary>
/// <remarks>
/// No I/O: the running experiments come from <see cref="ExperimentTable"/>'s snapshot. The arm is chosen by the end
/// user (sticky), or by the request id when the caller named none. Every step after this one (approval, budgets,
/// failover, the log) sees the arm's route, so budgets reserve and price the arm's model. Thread-safe.
/// </remarks>
public sealed class ExperimentStep : IOperationStep
{
    private readonly ExperimentTable _experiments;
    private readonly Routing.RouteTable _routes;

    /// <summary>Creates the step.</summary>
    public ExperimentStep(ExperimentTable experiments, Routing.RouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(routes);
        _experiments = experiments;
        _routes = routes;
    }

    /// <inheritdoc/>
    public ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var running = _experiments.Current;
        if (running.Count > 0 && context.Route is { } route && running.TryGetValue(context.Operation, out var experiment))
        {
            context.Route = experiment.Assign(context.User ?? context.RequestId, route, _routes.Current.Models, out var assignment);
            context.Experiment = assignment;
        }

        return next(context);
    }
}
