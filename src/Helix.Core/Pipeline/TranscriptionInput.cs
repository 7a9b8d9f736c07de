namespace Helix.Core.Pipeline;

/// <summary>The audio to transcribe and the caller's options, as the edge read them.</summary>
/// <remarks>Immutable; the audio is not copied and must not change while the call runs (it is reused across attempts).</remarks>
public sealed record TranscriptionInput
{
    /// <summary>The audio file's bytes.</summary>
    public required ReadOnlyMemory<byte> Audio { get; init; }

    /// <summary>The file name the caller gave.</summary>
    public string FileName { get; init; } = "audio";

    /// <summary>The audio's media type (<c>audio/wav</c>, <c>audio/mpeg</c>, …).</summary>
    public required string ContentType { get; init; }

    /// <summary>The audio's length in seconds, when the edge read it from the file's header (WAV, MP3); else <see langword="null"/>.</summary>
    /// <remarks>Without it the worst case is taken from the size (see <see cref="Calls.Transcription.TranscriptionProviderCall"/>).</remarks>
    public decimal? DurationSeconds { get; init; }

    /// <summary>The audio's channels, when known from its header (default 1).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>The spoken language (ISO-639-1), when the caller knows it.</summary>
    public string? Language { get; init; }

    /// <summary>Text to guide the model's style or vocabulary.</summary>
    public string? Prompt { get; init; }

    /// <summary>Sampling temperature, when set.</summary>
    public double? Temperature { get; init; }

    /// <summary>Whether each channel is transcribed on its own (and billed per channel).</summary>
    public bool Multichannel { get; init; }
}
