namespace Helix.Gateway.Tests.Reconciliation;

/// <summary>How a planned call reaches its provider.</summary>
internal enum CallKind
{
    /// <summary>Through Helix's in-process <c>IChatClient</c>, not streamed.</summary>
    HelixChat,

    /// <summary>Through Helix's in-process <c>IChatClient</c>, streamed.</summary>
    HelixStream,

    /// <summary>Through the pipeline with an OpenAI-shaped body, as the gateway's data plane calls it (to pass provider fields such as DeepSeek's <c>thinking</c>).</summary>
    PipelineBody,

    /// <summary>Straight to the simulator's Anthropic Messages API, not streamed.</summary>
    AnthropicMessage,

    /// <summary>Straight to the simulator's Anthropic Messages API, streamed.</summary>
    AnthropicStream,

    /// <summary>Straight to the simulator's Deepgram pre-recorded listen API.</summary>
    DeepgramListen,
}
