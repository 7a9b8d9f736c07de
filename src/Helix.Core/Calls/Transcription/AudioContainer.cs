namespace Helix.Core.Calls.Transcription;

/// <summary>An audio file's container, as its bytes show it.</summary>
public enum AudioContainer
{
    /// <summary>Bytes that are none of the containers Helix transcribes.</summary>
    Unknown,

    /// <summary>RIFF/WAVE.</summary>
    Wav,

    /// <summary>MPEG audio frames (MP3, MPGA), optionally behind an ID3v2 tag.</summary>
    Mp3,

    /// <summary>Ogg (Vorbis, Opus).</summary>
    Ogg,

    /// <summary>FLAC.</summary>
    Flac,

    /// <summary>WebM or Matroska (EBML).</summary>
    WebM,

    /// <summary>ISO base media (MP4, M4A).</summary>
    Mp4,
}
