namespace Helix.Core.Providers;

/// <summary>An upstream that turns audio into text (Deepgram pre-recorded, OpenAI transcriptions).</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="ProviderError"/> values; exceptions mean a bug.</remarks>
public interface ITranscriptionProvider
{
    /// <summary>The provider id (<c>deepgram</c>, <c>openai</c>, …).</summary>
    string Name { get; }

    /// <summary>Transcribes the call's audio.</summary>
    Task<ProviderResult<Transcript>> TranscribeAsync(TranscriptionCall call, CancellationToken cancellationToken = default);
}
