namespace Helix.Gateway.DataPlane.Audio;

/// <summary>The <c>response_format</c> values of OpenAI's <c>/v1/audio/transcriptions</c>.</summary>
internal enum TranscriptFormat
{
    Json,
    Text,
    VerboseJson,
    Srt,
    Vtt,
}
