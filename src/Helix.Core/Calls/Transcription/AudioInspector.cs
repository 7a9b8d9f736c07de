using Helix.Core.Pipeline;

namespace Helix.Core.Calls.Transcription;

/// <summary>Reads what an audio file is from its bytes: its real container, and its length and channels where the headers say.</summary>
/// <remarks>
/// No I/O and no decoding: only headers are read, so inspecting a 25 MB file costs microseconds. The container is
/// decided by magic bytes alone; the caller's content type and file name are claims, checked against them by
/// <see cref="Check"/>. Thread-safe (stateless).
/// </remarks>
public static class AudioInspector
{
    private const string Supported = "WAV, MP3, OGG, FLAC, WebM and MP4/M4A";

    /// <summary>The container the bytes are, from their magic numbers.</summary>
    public static AudioContainer Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            return AudioContainer.Wav;
        }

        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return AudioContainer.Mp4;
        }

        if (data.Length >= 4 && data[..4].SequenceEqual((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return AudioContainer.WebM;
        }

        if (data.Length >= 4 && data[..4].SequenceEqual("OggS"u8))
        {
            return AudioContainer.Ogg;
        }

        var start = SkipId3v2(data);
        if (data.Length >= start + 4 && data.Slice(start, 4).SequenceEqual("fLaC"u8))
        {
            return AudioContainer.Flac;
        }

        return Mp3Frames.StartsFrame(data, start) ? AudioContainer.Mp3 : AudioContainer.Unknown;
    }

    /// <summary>Reads the container, and the length and channels where the container's headers give them.</summary>
    public static AudioInfo Inspect(ReadOnlySpan<byte> data) => Detect(data) switch
    {
        AudioContainer.Wav => WavHeader.Read(data),
        AudioContainer.Mp3 => Mp3Frames.Read(data),
        AudioContainer.Flac => FlacStreamInfo.Read(data[SkipId3v2(data)..]),
        var other => new AudioInfo(other, null, null),
    };

    /// <summary>Inspects an uploaded file and refuses it when it is empty, not audio Helix transcribes, or labelled as another format.</summary>
    /// <param name="data">The file's bytes.</param>
    /// <param name="contentType">The media type the caller gave the file, if any (<c>application/octet-stream</c> claims nothing).</param>
    /// <param name="fileName">The file name the caller gave, if any; a known audio extension is a claim too.</param>
    /// <returns>
    /// What the file is, or a 400 error: <c>invalid_request</c> (empty), <c>unsupported_audio_format</c> (the bytes, or
    /// the label, are none of the supported containers), <c>audio_format_mismatch</c> (label and bytes disagree).
    /// </returns>
    public static Result<AudioInfo> Check(ReadOnlySpan<byte> data, string? contentType, string? fileName)
    {
        if (data.IsEmpty)
        {
            return GatewayError.InvalidRequest("The audio file is empty.");
        }

        var info = Inspect(data);
        if (info.Container == AudioContainer.Unknown)
        {
            return GatewayError.InvalidRequest($"The file's bytes are not audio Helix can transcribe; send {Supported}.", "unsupported_audio_format");
        }

        var labelled = AudioLabels.FromContentType(contentType);
        if (labelled == AudioContainer.Unknown)
        {
            return GatewayError.InvalidRequest($"The file is labelled '{contentType}', which is not an audio type Helix transcribes; send {Supported}.", "unsupported_audio_format");
        }

        if (labelled is { } claimed && claimed != info.Container)
        {
            return GatewayError.InvalidRequest($"The file is labelled '{contentType}' ({Name(claimed)}) but its bytes are {Name(info.Container)}.", "audio_format_mismatch");
        }

        if (AudioLabels.FromFileName(fileName) is { } named && named != info.Container)
        {
            return GatewayError.InvalidRequest($"The file is named '{fileName}' ({Name(named)}) but its bytes are {Name(info.Container)}.", "audio_format_mismatch");
        }

        return info;
    }

    /// <summary>The offset just past an ID3v2 tag at the start of <paramref name="data"/>, or 0 when there is none.</summary>
    internal static int SkipId3v2(ReadOnlySpan<byte> data)
    {
        if (data.Length < 10 || !data[..3].SequenceEqual("ID3"u8))
        {
            return 0;
        }

        // The size is "syncsafe": four bytes of seven bits each; a footer (flag 0x10) adds ten bytes.
        var size = (data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | (data[9] & 0x7F);
        var end = 10 + size + ((data[5] & 0x10) != 0 ? 10 : 0);
        return Math.Min(end, data.Length);
    }

    private static string Name(AudioContainer container) => container switch
    {
        AudioContainer.Wav => "WAV",
        AudioContainer.Mp3 => "MP3",
        AudioContainer.Ogg => "OGG",
        AudioContainer.Flac => "FLAC",
        AudioContainer.WebM => "WebM/Matroska",
        AudioContainer.Mp4 => "MP4/M4A",
        _ => "unknown",
    };
}
