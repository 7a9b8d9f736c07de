using Helix.Core.Routing;

namespace Helix.Core.Providers;

/// <summary>One chat call to one model: the caller's request in the OpenAI chat-completions shape.</summary>
/// <remarks>
/// The same <see cref="Request"/> is reused for retries and fallbacks; it is immutable, and the document a translating
/// adapter asks it for must not be mutated. An OpenAI-compatible adapter passes its bytes through with unknown fields
/// intact, replacing only <c>model</c> (and, when streaming, asking for usage); others translate it.
/// </remarks>
public sealed class ChatCall
{
    /// <summary>The model to call.</summary>
    public required ModelConfig Model { get; init; }

    /// <summary>The caller's request (OpenAI chat-completions shape): its bytes and the fields read from them.</summary>
    public required ChatRequest Request { get; init; }

    /// <summary>The id Helix gave the call, sent upstream where a provider accepts one.</summary>
    public string? RequestId { get; init; }

    /// <summary>The commit of the attempt's open-attempt record: the provider must not receive the whole request before it succeeds.</summary>
    /// <remarks>
    /// An adapter that says so (<see cref="IChatProvider.HoldsRequestForRecord"/>) sends all of the request but its
    /// last bytes while this is pending, the last bytes once it succeeded, and aborts the request when it fails; any
    /// other adapter is given the call only after it succeeded. Completed when there is no record to wait for.
    /// </remarks>
    public Task RecordCommitted { get; init; } = Task.CompletedTask;
}
