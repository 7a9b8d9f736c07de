namespace Helix.Core.Calls.Transcription;

/// <summary>What Helix read from an audio file's bytes, without decoding it.</summary>
/// <param name="Container">The container the bytes are.</param>
/// <param name="DurationSeconds">The audio's length, when the container's headers give it (WAV, MP3, FLAC).</param>
/// <param name="Channels">The number of channels, when the headers give it.</param>
public sealed record AudioInfo(AudioContainer Container, decimal? DurationSeconds, int? Channels)
{
    /// <summary>The canonical media type of <see cref="Container"/>, to send upstream instead of the caller's label.</summary>
    public string ContentType => AudioLabels.ContentTypeOf(Container);
}
