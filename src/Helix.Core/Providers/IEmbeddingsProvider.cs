namespace Helix.Core.Providers;

/// <summary>An upstream that serves embeddings in its own wire format.</summary>
/// <remarks>
/// Thread-safe. Expected failures are <see cref="ProviderError"/> values; exceptions mean a bug. The answer is
/// always in the OpenAI <c>/v1/embeddings</c> response shape, whatever the provider spoke.
/// </remarks>
public interface IEmbeddingsProvider
{
    /// <summary>The provider id (<c>openai</c>, <c>gemini</c>, …).</summary>
    string Name { get; }

    /// <summary>Embeds the call's input.</summary>
    Task<ProviderResult<EmbeddingsResponse>> EmbedAsync(EmbeddingsCall call, CancellationToken cancellationToken = default);
}
