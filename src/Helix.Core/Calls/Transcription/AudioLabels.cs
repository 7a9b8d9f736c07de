namespace Helix.Core.Calls.Transcription;

/// <summary>What a caller's content type or file extension claims an audio file is.</summary>
internal static class AudioLabels
{
    public static string ContentTypeOf(AudioContainer container) => container switch
    {
        AudioContainer.Wav => "audio/wav",
        AudioContainer.Mp3 => "audio/mpeg",
        AudioContainer.Ogg => "audio/ogg",
        AudioContainer.Flac => "audio/flac",
        AudioContainer.WebM => "audio/webm",
        AudioContainer.Mp4 => "audio/mp4",
        _ => "application/octet-stream",
    };

    /// <summary>
    /// The container a media type names; <see langword="null"/> when it makes no claim (absent, or
    /// <c>application/octet-stream</c>, which multipart clients send for any file); <see cref="AudioContainer.Unknown"/>
    /// when it names something Helix does not transcribe.
    /// </summary>
    public static AudioContainer? FromContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
        return mediaType switch
        {
            "application/octet-stream" or "binary/octet-stream" => null,
            "audio/wav" or "audio/x-wav" or "audio/wave" or "audio/vnd.wave" or "audio/x-pn-wav" => AudioContainer.Wav,
            "audio/mpeg" or "audio/mp3" or "audio/x-mp3" or "audio/mpga" or "audio/mpeg3" or "audio/x-mpeg-3" => AudioContainer.Mp3,
            "audio/ogg" or "audio/opus" or "audio/vorbis" or "application/ogg" => AudioContainer.Ogg,
            "audio/flac" or "audio/x-flac" => AudioContainer.Flac,
            "audio/webm" or "video/webm" or "audio/x-matroska" or "video/x-matroska" => AudioContainer.WebM,
            "audio/mp4" or "audio/m4a" or "audio/x-m4a" or "video/mp4" or "audio/aac-mp4" => AudioContainer.Mp4,
            _ => AudioContainer.Unknown,
        };
    }

    /// <summary>The container a file name's extension names; <see langword="null"/> for no or an unknown extension.</summary>
    public static AudioContainer? FromFileName(string? fileName)
    {
        var extension = Path.GetExtension(fileName);
        if (string.IsNullOrEmpty(extension))
        {
            return null;
        }

        return extension.ToLowerInvariant() switch
        {
            ".wav" or ".wave" => AudioContainer.Wav,
            ".mp3" or ".mpeg" or ".mpga" => AudioContainer.Mp3,
            ".ogg" or ".oga" or ".opus" => AudioContainer.Ogg,
            ".flac" => AudioContainer.Flac,
            ".webm" or ".mka" or ".mkv" => AudioContainer.WebM,
            ".mp4" or ".m4a" => AudioContainer.Mp4,
            _ => null,
        };
    }
}
