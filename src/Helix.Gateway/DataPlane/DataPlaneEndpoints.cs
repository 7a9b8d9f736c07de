namespace Helix.Gateway.DataPlane;

/// <summary>Maps the OpenAI-compatible data plane under <c>/v1</c>.</summary>
internal static class DataPlaneEndpoints
{
    public static IEndpointRouteBuilder MapDataPlane(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").WithTags("Data plane");
        v1.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync)
            .WithSummary("OpenAI-compatible chat completions, streaming and not; the operation is model \"op:<name>\" or X-Helix-Operation.");
        v1.MapGet("/models", ModelsEndpoint.Handle).WithSummary("The operations, listed as models op:<name>.");
        return endpoints;
    }
}
