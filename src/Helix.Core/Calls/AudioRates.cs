namespace Helix.Core.Calls;

/// <summary>The conservative rates the audio calls' worst cases are made from, before any audio was processed.</summary>
/// <remarks>
/// Each errs towards more usage, so a reservation covers the call: audio of unknown length is assumed to be at the
/// lowest bitrate of the speech codecs Helix accepts (a longer duration per byte), speech to be slow (more seconds per
/// character), and token-priced audio models to spend more tokens per second than their providers' published
/// per-minute estimates (about 17 for transcription, 21 for speech).
/// </remarks>
internal static class AudioRates
{
    /// <summary>Bytes per second of the thinnest speech audio (4 kbit/s, below AMR-NB's 4.75 and Opus's 6).</summary>
    public const decimal MinBytesPerSecond = 500m;

    /// <summary>Characters spoken per second at speed 1.0, slowly (typical speech is 12 to 15).</summary>
    public const decimal MinCharactersPerSecond = 8m;

    /// <summary>Audio tokens per second of token-priced audio models.</summary>
    public const decimal MaxAudioTokensPerSecond = 25m;

    /// <summary>Text tokens per second of speech written down (about 3 words a second, generously).</summary>
    public const decimal MaxTranscriptTokensPerSecond = 6m;
}
