namespace Helix.Core.Providers;

/// <summary>An upstream that serves chat calls in its own wire format.</summary>
/// <remarks>
/// Implementations are thread-safe and speak the provider's real HTTP API. Expected failures (429, 5xx, timeouts,
/// unreadable bodies) are returned as <see cref="ProviderError"/> values; exceptions mean a bug.
/// Cancellation through the token is reported as <see cref="OperationCanceledException"/>.
/// </remarks>
public interface IChatProvider
{
    /// <summary>The provider id (<c>openai</c>, <c>deepseek</c>, <c>gemini</c>, …).</summary>
    string Name { get; }

    /// <summary>Makes a non-streaming call.</summary>
    Task<ProviderResult<ChatCompletion>> CompleteAsync(ChatCall call, CancellationToken cancellationToken = default);

    /// <summary>Opens a stream; a failure before the first chunk is returned as an error, so the call can fall back.</summary>
    Task<ProviderResult<IChatCompletionStream>> StreamAsync(ChatCall call, CancellationToken cancellationToken = default);

    /// <summary>Whether the adapter honours <see cref="ChatCall.RecordCommitted"/> (holds the request's last bytes until it succeeds); when not, it is called only after the commit.</summary>
    bool HoldsRequestForRecord => false;
}
