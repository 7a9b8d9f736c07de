namespace Helix.Core.Pipeline;

/// <summary>The text to speak and the caller's options (OpenAI <c>/v1/audio/speech</c>), as the edge read them.</summary>
/// <remarks>Immutable.</remarks>
public sealed record SpeechInput
{
    /// <summary>The text to speak.</summary>
    public required string Input { get; init; }

    /// <summary>The voice (<c>alloy</c>, <c>en-US-AriaNeural</c>, …).</summary>
    public required string Voice { get; init; }

    /// <summary>The audio format: <c>mp3</c>, <c>opus</c>, <c>aac</c>, <c>flac</c>, <c>wav</c> or <c>pcm</c>.</summary>
    public string ResponseFormat { get; init; } = "mp3";

    /// <summary>Speaking rate, 0.25 to 4.0.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Style instructions, for models that take them.</summary>
    public string? Instructions { get; init; }
}
