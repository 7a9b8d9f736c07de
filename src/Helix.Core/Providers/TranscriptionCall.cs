using Helix.Core.Routing;

namespace Helix.Core.Providers;

/// <summary>One transcription call to one model: the audio and the options of OpenAI's <c>/v1/audio/transcriptions</c>.</summary>
/// <remarks>Adapters must not mutate <see cref="Audio"/>: it is reused for retries and fallbacks.</remarks>
public sealed class TranscriptionCall
{
    /// <summary>The model to call.</summary>
    public required ModelConfig Model { get; init; }

    /// <summary>The audio file's bytes.</summary>
    public required ReadOnlyMemory<byte> Audio { get; init; }

    /// <summary>The file name the caller gave (providers use its extension as a hint).</summary>
    public string FileName { get; init; } = "audio";

    /// <summary>The audio's media type (<c>audio/wav</c>, <c>audio/mpeg</c>, …).</summary>
    public required string ContentType { get; init; }

    /// <summary>The audio's length in seconds, when Helix could read it from the file's header.</summary>
    public decimal? DurationSeconds { get; init; }

    /// <summary>The spoken language (ISO-639-1), when the caller knows it.</summary>
    public string? Language { get; init; }

    /// <summary>Text to guide the model's style or vocabulary.</summary>
    public string? Prompt { get; init; }

    /// <summary>Sampling temperature, when set.</summary>
    public double? Temperature { get; init; }

    /// <summary>Whether each channel of multi-channel audio is transcribed on its own (Deepgram bills per channel).</summary>
    public bool Multichannel { get; init; }

    /// <summary>The id Helix gave the call.</summary>
    public string? RequestId { get; init; }
}
