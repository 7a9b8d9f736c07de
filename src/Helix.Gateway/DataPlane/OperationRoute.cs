using Helix.Core.Pipeline;
using Helix.Core.Routing;

namespace Helix.Gateway.DataPlane;

/// <summary>Finds a data-plane call's route and checks it serves the endpoint's modality, before anything else is read.</summary>
/// <remarks>The same checks the pipeline makes, from the same in-memory snapshot; made early so an endpoint can validate against the route's models (speech voices).</remarks>
internal static class OperationRoute
{
    public static Checked<RouteDecision> Resolve(RouteTable routes, string operation, Modality modality)
    {
        if (!routes.Current.TryGetRoute(operation, out var decision))
        {
            return Checked<RouteDecision>.Fail(GatewayError.UnknownOperation(operation), "model");
        }

        if (!decision.Route.Enabled)
        {
            return Checked<RouteDecision>.Fail(GatewayError.OperationDisabled(decision.Route.Operation), "model");
        }

        if (decision.Route.Modality != modality)
        {
            return Checked<RouteDecision>.Fail(GatewayError.InvalidRequest(
                $"Operation '{decision.Route.Operation}' makes {Describe(decision.Route.Modality)}, not {Describe(modality)}.",
                "operation_modality_mismatch"), "model");
        }

        return decision;
    }

    public static string Describe(Modality modality) => modality switch
    {
        Modality.Embeddings => "embeddings calls (POST /v1/embeddings)",
        Modality.Transcription => "transcriptions (POST /v1/audio/transcriptions)",
        Modality.Speech => "speech (POST /v1/audio/speech)",
        _ => "chat completions (POST /v1/chat/completions)",
    };
}
