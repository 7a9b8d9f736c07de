namespace Helix.Gateway.DataPlane;

/// <summary>Maps the OpenAI-compatible data plane under <c>/v1</c>.</summary>
internal static class DataPlaneEndpoints
{
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
        v1.MapPost("/embeddings", EmbeddingsEndpoint.HandleAsync)
            .WithSummary("OpenAI-compatible embeddings; input is a string, strings, token ids or arrays of token ids.");
        v1.MapPost("/audio/transcriptions", Audio.TranscriptionsEndpoint.HandleAsync)
            .WithSummary("OpenAI-compatible transcription of an uploaded file (multipart/form-data); response_format json, text, verbose_json, srt or vtt.")
            .DisableAntiforgery();
        v1.MapPost("/audio/speech", Audio.SpeechEndpoint.HandleAsync)
            .WithSummary("OpenAI-compatible text to speech; the audio streams back as it is made, its cost in the X-Helix-Cost-Usd trailer and the log.");
        v1.MapPost("/feedback", FeedbackEndpoint.HandleAsync)
            .WithSummary("Feedback on a call: {\"request_id\",\"score\":-1..1 or 1..5,\"comment\"?}; joined to the call, read by the dashboard's quality per model.")
            .Produces<OpenAIErrors.ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<OpenAIErrors.ErrorBody>(StatusCodes.Status404NotFound);
        v1.MapGet("/models", ModelsEndpoint.Handle).WithSummary("The operations, listed as models op:<name>.")
            .Produces<ModelsEndpoint.ModelList>();
        return endpoints;
    }
}
