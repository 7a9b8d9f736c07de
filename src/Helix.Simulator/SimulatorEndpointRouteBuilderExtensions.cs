using Helix.Simulator.Anthropic;
using Helix.Simulator.Control;
using Helix.Simulator.Deepgram;
using Helix.Simulator.EdgeTts;
using Helix.Simulator.Gemini;
using Helix.Simulator.OpenAI;

namespace Helix.Simulator;

/// <summary>Mounts the simulated providers and the control API on an ASP.NET Core app.</summary>
public static class SimulatorEndpointRouteBuilderExtensions
{
    /// <summary>Maps every simulator route, relative to <paramref name="endpoints"/> (a route group mounts it under a prefix).</summary>
    /// <remarks>
    /// Routes: <c>openai/v1/{chat/completions, embeddings, audio/transcriptions, audio/speech}</c>,
    /// <c>deepseek/chat/completions</c> (and <c>deepseek/v1/…</c>), <c>gemini/v1beta/models/{model}:{method}</c>,
    /// <c>anthropic/v1/messages</c>, <c>deepgram/v1/listen</c>, the Edge read-aloud WebSocket
    /// <c>edge-tts/consumer/speech/synthesize/readaloud/edge/v1</c> (the app must use the WebSockets middleware), and <c>_simulator/behavior</c>, <c>_simulator/ledger</c>.
    /// </remarks>
    /// <param name="endpoints">Where to map.</param>
    /// <param name="state">The behaviours the routes follow and the ledger they bill to.</param>
    public static void MapSimulator(this IEndpointRouteBuilder endpoints, SimulatorState state)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(state);

        var deepSeekChat = Guard(new ChatCompletionsEndpoint(state, SimulatorProviders.DeepSeek).HandleAsync);
        endpoints.MapPost("/openai/v1/chat/completions", Guard(new ChatCompletionsEndpoint(state, SimulatorProviders.OpenAI).HandleAsync));
        endpoints.MapPost("/openai/v1/embeddings", Guard(new EmbeddingsEndpoint(state).HandleAsync));
        endpoints.MapPost("/openai/v1/audio/transcriptions", Guard(new TranscriptionsEndpoint(state).HandleAsync));
        endpoints.MapPost("/openai/v1/audio/speech", Guard(new SpeechEndpoint(state).HandleAsync));
        endpoints.MapPost("/deepseek/chat/completions", deepSeekChat);
        endpoints.MapPost("/deepseek/v1/chat/completions", deepSeekChat);
        endpoints.MapPost("/gemini/v1beta/models/{target}", Guard(new GenerateContentEndpoint(state).HandleAsync));
        endpoints.MapPost("/anthropic/v1/messages", Guard(new MessagesEndpoint(state).HandleAsync));
        endpoints.MapPost("/deepgram/v1/listen", Guard(new ListenEndpoint(state).HandleAsync));
        endpoints.MapGet("/edge-tts/consumer/speech/synthesize/readaloud/edge/v1", Guard(new ReadAloudEndpoint(state).HandleAsync));

        var control = new ControlEndpoints(state);
        endpoints.MapPut("/_simulator/behavior", Guard(control.PutBehaviorAsync));
        endpoints.MapDelete("/_simulator/behavior", Guard(control.DeleteBehaviorAsync));
        endpoints.MapGet("/_simulator/ledger", Guard(control.GetLedgerAsync));
        endpoints.MapDelete("/_simulator/ledger", Guard(control.DeleteLedgerAsync));
    }

    // A client that gives up mid-call is part of the simulation, not an error of the server.
    private static RequestDelegate Guard(Func<HttpContext, Task> handler) => async context =>
    {
        try
        {
            await handler(context);
        }
        catch (Exception exception) when ((exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
            || exception is System.Net.WebSockets.WebSocketException)
        {
            context.Abort();
        }
    };
}
