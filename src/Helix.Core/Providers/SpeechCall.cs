using Helix.Core.Routing;

namespace Helix.Core.Providers;

/// <summary>One speech call to one model: the options of OpenAI's <c>/v1/audio/speech</c>.</summary>
public sealed class SpeechCall
{
    /// <summary>The model (for Edge TTS, the voice) to call.</summary>
    public required ModelConfig Model { get; init; }

    /// <summary>The text to speak.</summary>
    public required string Input { get; init; }

    /// <summary>The voice the caller asked for (<c>alloy</c>, <c>en-US-AriaNeural</c>, …).</summary>
    public required string Voice { get; init; }

    /// <summary>The audio format: <c>mp3</c>, <c>opus</c>, <c>aac</c>, <c>flac</c>, <c>wav</c> or <c>pcm</c>.</summary>
    public string ResponseFormat { get; init; } = "mp3";

    /// <summary>Speaking rate, 0.25 to 4.0.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Style instructions, for models that take them (<c>gpt-4o-mini-tts</c>).</summary>
    public string? Instructions { get; init; }

    /// <summary>The id Helix gave the call.</summary>
    public string? RequestId { get; init; }
}
