using System.Text.Json.Nodes;
using Helix.Core.Routing;

namespace Helix.Core.Providers;

/// <summary>One embeddings call to one model: the caller's request in the OpenAI <c>/v1/embeddings</c> shape.</summary>
/// <remarks>Adapters must not mutate <see cref="Request"/>: it is reused for retries and fallbacks.</remarks>
public sealed class EmbeddingsCall
{
    /// <summary>The model to call.</summary>
    public required ModelConfig Model { get; init; }

    /// <summary>The caller's request body (<c>input</c>, <c>dimensions</c>, <c>encoding_format</c>, …).</summary>
    public required JsonObject Request { get; init; }

    /// <summary>The id Helix gave the call, sent upstream where a provider accepts one.</summary>
    public string? RequestId { get; init; }
}
