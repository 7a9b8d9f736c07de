namespace Helix.Core.Providers;

/// <summary>An upstream that turns text into audio (Edge TTS, OpenAI speech).</summary>
/// <remarks>
/// Thread-safe. Expected failures are <see cref="ProviderError"/> values; exceptions mean a bug. A failure before
/// the first audio bytes is returned as an error, so the call can fall back.
/// </remarks>
public interface ISpeechProvider
{
    /// <summary>The provider id (<c>edge-tts</c>, <c>openai</c>, …).</summary>
    string Name { get; }

    /// <summary>Starts synthesis; the audio is read from the returned stream as it arrives.</summary>
    Task<ProviderResult<ISpeechStream>> SynthesizeAsync(SpeechCall call, CancellationToken cancellationToken = default);
}
