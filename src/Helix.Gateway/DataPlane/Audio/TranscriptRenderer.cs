using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Core.Providers;

namespace Helix.Gateway.DataPlane.Audio;

/// <summary>Renders a provider-neutral <see cref="Transcript"/> in the <c>response_format</c> the caller asked for.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>json</c>: <c>{"text"}</c>, plus OpenAI's <c>usage</c> (<c>tokens</c> for token-billed models, <c>duration</c> for per-second ones).</item>
/// <item><c>text</c>: the text and a line feed.</item>
/// <item><c>verbose_json</c>: <c>task</c>, <c>language</c>, <c>duration</c>, <c>text</c>, <c>segments</c> (every field OpenAI's
/// segment schema requires; the decoder statistics Helix does not have are neutral: no tokens, zero log-probability),
/// <c>usage</c>.</item>
/// <item><c>srt</c> and <c>vtt</c>: one cue per segment, <c>HH:MM:SS,mmm</c> and <c>HH:MM:SS.mmm</c>, each cue followed by a
/// blank line.</item>
/// </list>
/// A transcript without segments gets one segment spanning the whole audio, so subtitles are never empty for speech.
/// </remarks>
internal static class TranscriptRenderer
{
    public const string JsonContentType = "application/json";
    public const string TextContentType = "text/plain; charset=utf-8";
    public const string VttContentType = "text/vtt; charset=utf-8";

    public static bool TryParse(string? value, out TranscriptFormat format)
    {
        switch (value)
        {
            case null or "" or "json":
                format = TranscriptFormat.Json;
                return true;
            case "text":
                format = TranscriptFormat.Text;
                return true;
            case "verbose_json":
                format = TranscriptFormat.VerboseJson;
                return true;
            case "srt":
                format = TranscriptFormat.Srt;
                return true;
            case "vtt":
                format = TranscriptFormat.Vtt;
                return true;
            default:
                format = default;
                return false;
        }
    }

    /// <param name="transcript">What the provider heard.</param>
    /// <param name="format">The caller's response format.</param>
    /// <param name="audioSeconds">The audio's length as Helix read it, used when the provider reports none.</param>
    /// <param name="temperature">The request's sampling temperature, echoed in verbose segments.</param>
    public static (byte[] Body, string ContentType) Render(Transcript transcript, TranscriptFormat format, decimal? audioSeconds = null, double? temperature = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var duration = transcript.DurationSeconds ?? audioSeconds ?? LastEnd(transcript.Segments) ?? 0m;
        return format switch
        {
            TranscriptFormat.Text => (Encoding.UTF8.GetBytes(transcript.Text.Trim() + "\n"), TextContentType),
            TranscriptFormat.Srt => (Encoding.UTF8.GetBytes(Subtitles(transcript, duration, vtt: false)), TextContentType),
            TranscriptFormat.Vtt => (Encoding.UTF8.GetBytes(Subtitles(transcript, duration, vtt: true)), VttContentType),
            TranscriptFormat.VerboseJson => (VerboseJson(transcript, duration, temperature ?? 0), JsonContentType),
            _ => (Json(transcript), JsonContentType),
        };
    }

    /// <summary>A cue time: <c>HH:MM:SS,mmm</c> (SubRip) or <c>HH:MM:SS.mmm</c> (WebVTT), rounded to the millisecond.</summary>
    public static string Timestamp(decimal seconds, bool vtt)
    {
        var milliseconds = (long)Math.Round(Math.Max(0m, seconds) * 1000m, MidpointRounding.AwayFromZero);
        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var secs = milliseconds / 1000 % 60;
        var millis = milliseconds % 1000;
        return string.Create(CultureInfo.InvariantCulture, $"{hours:00}:{minutes:00}:{secs:00}{(vtt ? '.' : ',')}{millis:000}");
    }

    private static IReadOnlyList<TranscriptSegment> SegmentsOf(Transcript transcript, decimal duration) =>
        transcript.Segments.Count > 0 || string.IsNullOrWhiteSpace(transcript.Text)
            ? transcript.Segments
            : [new TranscriptSegment(0m, duration, transcript.Text)];

    private static string Subtitles(Transcript transcript, decimal duration, bool vtt)
    {
        var text = new StringBuilder(vtt ? "WEBVTT\n\n" : string.Empty);
        var segments = SegmentsOf(transcript, duration);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (!vtt)
            {
                text.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            text.Append(Timestamp(segment.Start, vtt)).Append(" --> ").Append(Timestamp(segment.End, vtt)).Append('\n')
                .Append(segment.Text.Trim()).Append("\n\n");
        }

        return text.ToString();
    }

    private static byte[] Json(Transcript transcript)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (transcript.Text.Length * 2));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", transcript.Text);
            WriteUsage(json, transcript.Usage);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] VerboseJson(Transcript transcript, decimal duration, double temperature)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + (transcript.Text.Length * 4));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("task", "transcribe");
            json.WriteString("language", transcript.Language ?? "unknown");
            json.WriteNumber("duration", Normalize(duration));
            json.WriteString("text", transcript.Text);
            json.WriteStartArray("segments");
            var segments = SegmentsOf(transcript, duration);
            for (var i = 0; i < segments.Count; i++)
            {
                var segment = segments[i];
                json.WriteStartObject();
                json.WriteNumber("id", i);
                json.WriteNumber("seek", 0);
                json.WriteNumber("start", Normalize(segment.Start));
                json.WriteNumber("end", Normalize(segment.End));
                json.WriteString("text", segment.Text);
                json.WriteStartArray("tokens");
                json.WriteEndArray();
                json.WriteNumber("temperature", temperature);
                json.WriteNumber("avg_logprob", 0);
                json.WriteNumber("compression_ratio", 0);
                json.WriteNumber("no_speech_prob", 0);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteUsage(json, transcript.Usage);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // OpenAI's two usage shapes: token-billed models (gpt-4o-transcribe) and per-second ones (whisper-1).
    private static void WriteUsage(Utf8JsonWriter json, UsageReport usage)
    {
        if (!usage.IsKnown)
        {
            return;
        }

        var meters = usage.Meters;
        var inputTokens = meters.InputTokens + meters.InputAudioTokens + meters.CacheReadTokens + meters.CacheReadAudioTokens;
        if (inputTokens > 0 || meters.CompletionTokens > 0)
        {
            json.WriteStartObject("usage");
            json.WriteString("type", "tokens");
            json.WriteNumber("input_tokens", inputTokens);
            json.WriteStartObject("input_token_details");
            json.WriteNumber("text_tokens", meters.InputTokens + meters.CacheReadTokens);
            json.WriteNumber("audio_tokens", meters.InputAudioTokens + meters.CacheReadAudioTokens);
            json.WriteEndObject();
            json.WriteNumber("output_tokens", meters.CompletionTokens);
            json.WriteNumber("total_tokens", inputTokens + meters.CompletionTokens);
            json.WriteEndObject();
        }
        else if (meters.AudioSeconds > 0)
        {
            json.WriteStartObject("usage");
            json.WriteString("type", "duration");
            json.WriteNumber("seconds", Normalize(meters.AudioSeconds));
            json.WriteEndObject();
        }
    }

    private static decimal? LastEnd(IReadOnlyList<TranscriptSegment> segments) => segments.Count > 0 ? segments[^1].End : null;

    // 2.500m would be written "2.500": the same number, but not what OpenAI writes.
    private static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}
