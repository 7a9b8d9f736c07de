using Helix.Core.Pipeline;

namespace Helix.Core.Routing;

/// <summary>Finds the operation's route in the in-memory snapshot: the models to try, in order.</summary>
/// <remarks>
/// No I/O. An unknown operation, a disabled route, or a route of another modality stops the call before any provider
/// is called. Routing ignores case; from here on the call carries the route's canonical operation name, so the log
/// has one spelling per operation. A principal limited to some operations (<see cref="Principals.Principal.MayCall"/>)
/// gets <c>forbidden</c> for any other, checked here where the canonical name is known. Thread-safe.
/// </remarks>
public sealed class RoutingStep : IOperationStep
{
    private readonly RouteTable _routes;

    /// <summary>Creates the step over <paramref name="routes"/>.</summary>
    public RoutingStep(RouteTable routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        _routes = routes;
    }

    /// <inheritdoc/>
    public ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!_routes.Current.TryGetRoute(context.Operation, out var decision))
        {
            // A key limited to some operations learns nothing about the others, not even whether they exist.
            return ValueTask.FromResult<GatewayError?>(context.Principal.Operations is null
                ? GatewayError.UnknownOperation(context.Operation)
                : NotAllowed(context.Operation));
        }

        var route = decision.Route;
        if (!context.Principal.MayCall(route.Operation))
        {
            return ValueTask.FromResult<GatewayError?>(NotAllowed(route.Operation));
        }

        if (!route.Enabled)
        {
            return ValueTask.FromResult<GatewayError?>(GatewayError.OperationDisabled(route.Operation));
        }

        if (route.Modality != context.Call.Modality)
        {
            return ValueTask.FromResult<GatewayError?>(GatewayError.InvalidRequest(
                $"Operation '{route.Operation}' makes {Describe(route.Modality)} calls, not {Describe(context.Call.Modality)}.",
                "operation_modality_mismatch"));
        }

        context.Route = decision;
        context.Operation = route.Operation;
        return next(context);
    }

    private static GatewayError NotAllowed(string operation) =>
        GatewayError.Forbidden($"This key may not call operation '{operation}'.");

    private static string Describe(Modality modality) => modality switch
    {
        Modality.Chat => "chat completions",
        Modality.Embeddings => "embeddings",
        Modality.Transcription => "transcription",
        _ => "speech",
    };
}
