namespace Helix.Gateway.DataPlane;

/// <summary>Maps the OpenAI-compatible data plane under <c>/v1</c>.</summary>
internal static class DataPlaneEndpoints
{
    private static readonly PathString s_root = "/v1";

    public static IEndpointRouteBuilder MapDataPlane(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").WithTags("Data plane");
        v1.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync)
            .WithSummary("OpenAI-compatible chat completions, streaming and not; the operation is model \"op:<name>\" or X-Helix-Operation.")
            .Accepts<ChatCompletionRequestSchema>("application/json")
            .Produces<ChatCompletionResponseSchema>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .Produces<OpenAIErrors.ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<OpenAIErrors.ErrorBody>(StatusCodes.Status404NotFound)
            .Produces<OpenAIErrors.ErrorBody>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OpenAIErrors.ErrorBody>(StatusCodes.Status502BadGateway)
            .Produces<OpenAIErrors.ErrorBody>(StatusCodes.Status503ServiceUnavailable);
        v1.MapGet("/models", ModelsEndpoint.Handle).WithSummary("The operations, listed as models op:<name>.")
            .Produces<ModelsEndpoint.ModelList>();
        return endpoints;
    }

    /// <summary>
    /// Answers a path or method that <c>/v1</c> does not serve (404, 405) in the OpenAI error shape, as OpenAI does,
    /// so an SDK shows a message instead of failing on an empty body.
    /// </summary>
    public static IApplicationBuilder UseDataPlaneErrors(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Request.Path.StartsWithSegments(s_root, StringComparison.OrdinalIgnoreCase)
                && http.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
            {
                await http.Response.WriteAsJsonAsync(OpenAIErrors.NotServed(http.Request, http.Response.StatusCode), http.RequestAborted);
            }
        });
}
