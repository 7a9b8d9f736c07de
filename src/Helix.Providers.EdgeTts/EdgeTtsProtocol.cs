using System.Buffers.Binary;
using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Text;

namespace Helix.Providers.EdgeTts;

/// <summary>The pieces of Edge's read-aloud WebSocket protocol: the URL and its <c>Sec-MS-GEC</c> token, the two text messages sent, the frames received.</summary>
/// <remarks>
/// As the open-source <c>edge-tts</c> client (github.com/rany2/edge-tts, 7.2.7) speaks it: connect to
/// <c>/consumer/speech/synthesize/readaloud/edge/v1?TrustedClientToken=…&amp;ConnectionId=…&amp;Sec-MS-GEC=…&amp;Sec-MS-GEC-Version=…</c>,
/// send <c>Path:speech.config</c> (the output format) then <c>Path:ssml</c> (voice, prosody rate, the escaped text);
/// audio comes back in binary frames (a 2-byte big-endian header length, <c>\r\n</c>-separated headers with
/// <c>Path:audio</c>, then the audio bytes) and <c>Path:turn.end</c> ends the turn. Stateless and thread-safe.
/// </remarks>
internal static class EdgeTtsProtocol
{
    /// <summary>The client token every Edge browser sends.</summary>
    public const string TrustedClientToken = "6A5AA1D4EAFF4E9FB37E23D68491D6F4";

    /// <summary>The Chromium version the token and the headers claim.</summary>
    public const string ChromiumFullVersion = "143.0.3650.75";

    /// <summary>The path of the read-aloud socket under the service root.</summary>
    public const string SocketPath = "consumer/speech/synthesize/readaloud/edge/v1";

    /// <summary>The largest SSML text (escaped, UTF-8) the service takes in one turn.</summary>
    public const int MaxTurnBytes = 4096;

    private const long WindowsEpochSeconds = 11_644_473_600;

    /// <summary>The <c>Sec-MS-GEC</c> token: SHA-256 of the Windows file time rounded down to 5 minutes, then the client token, upper-case hex.</summary>
    public static string SecMsGec(DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds() + WindowsEpochSeconds;
        seconds -= seconds % 300;
        var ticks = seconds * 10_000_000L;
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(ticks.ToString(CultureInfo.InvariantCulture) + TrustedClientToken));
        return Convert.ToHexString(hash);
    }

    /// <summary>The socket's URL under <paramref name="root"/> (its http(s) scheme turned to ws(s)).</summary>
    public static Uri SocketUrl(Uri root, DateTimeOffset now, string connectionId)
    {
        var scheme = root.Scheme switch
        {
            "http" => "ws",
            "https" => "wss",
            _ => root.Scheme,
        };
        var path = root.GetLeftPart(UriPartial.Path).TrimEnd('/')[(root.Scheme.Length)..];
        return new Uri(
            $"{scheme}{path}/{SocketPath}?TrustedClientToken={TrustedClientToken}&ConnectionId={connectionId}"
            + $"&Sec-MS-GEC={SecMsGec(now)}&Sec-MS-GEC-Version=1-{ChromiumFullVersion}");
    }

    /// <summary>The service's output format for an OpenAI <c>response_format</c>, or <see langword="null"/> when Edge has none.</summary>
    public static string? OutputFormat(string responseFormat) => responseFormat switch
    {
        "mp3" => "audio-24khz-48kbitrate-mono-mp3",
        "wav" => "riff-24khz-16bit-mono-pcm",
        "pcm" => "raw-24khz-16bit-mono-pcm",
        "opus" => "ogg-24khz-16bit-mono-opus",
        _ => null,
    };

    /// <summary>The <c>X-Timestamp</c> form the browser sends (a JavaScript date string).</summary>
    public static string Timestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("ddd MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", CultureInfo.InvariantCulture);

    /// <summary>The <c>speech.config</c> message.</summary>
    public static string SpeechConfig(DateTimeOffset now, string outputFormat) =>
        $"X-Timestamp:{Timestamp(now)}\r\nContent-Type:application/json; charset=utf-8\r\nPath:speech.config\r\n\r\n"
        + "{\"context\":{\"synthesis\":{\"audio\":{\"metadataoptions\":{\"sentenceBoundaryEnabled\":\"false\",\"wordBoundaryEnabled\":\"false\"},"
        + $"\"outputFormat\":\"{outputFormat}\"}}}}}}}}\r\n";

    /// <summary>The <c>ssml</c> message of one turn (the trailing <c>Z</c> on the timestamp is the browser's own).</summary>
    public static string Ssml(DateTimeOffset now, string requestId, string voice, string rate, string escapedText) =>
        $"X-RequestId:{requestId}\r\nContent-Type:application/ssml+xml\r\nX-Timestamp:{Timestamp(now)}Z\r\nPath:ssml\r\n\r\n"
        + "<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='en-US'>"
        + $"<voice name='{voice}'><prosody pitch='+0Hz' rate='{rate}' volume='+0%'>{escapedText}</prosody></voice></speak>";

    /// <summary>The prosody rate of an OpenAI speed (1.0 is <c>+0%</c>, 1.5 is <c>+50%</c>, 0.5 is <c>-50%</c>).</summary>
    public static string Rate(double speed)
    {
        var percent = (int)Math.Round((speed - 1.0) * 100, MidpointRounding.AwayFromZero);
        return (percent >= 0 ? "+" : string.Empty) + percent.ToString(CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>The text escaped for SSML, with the control characters the service refuses turned to spaces.</summary>
    public static string Escape(string text)
    {
        var cleaned = string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is (>= '\0' and <= '\b') or '\v' or '\f' or (>= '\u000E' and <= '\u001F') ? ' ' : c;
            }
        });
        return SecurityElement.Escape(cleaned);
    }

    /// <summary>Splits escaped text into turns of at most <see cref="MaxTurnBytes"/> UTF-8 bytes, at a newline or space where it can, never inside an entity or a character.</summary>
    public static List<string> Turns(string escaped)
    {
        var turns = new List<string>();
        var rest = escaped.AsSpan();
        while (Encoding.UTF8.GetByteCount(rest) > MaxTurnBytes)
        {
            // Walk to the last character that fits.
            var fits = 0;
            var bytes = 0;
            foreach (var rune in rest.ToString().EnumerateRunes())
            {
                if (bytes + rune.Utf8SequenceLength > MaxTurnBytes)
                {
                    break;
                }

                bytes += rune.Utf8SequenceLength;
                fits += rune.Utf16SequenceLength;
            }

            var split = rest[..fits].LastIndexOf('\n');
            if (split <= 0)
            {
                split = rest[..fits].LastIndexOf(' ');
            }

            if (split <= 0)
            {
                split = fits;
            }

            var amp = rest[..split].LastIndexOf('&');
            if (amp >= 0 && rest[amp..split].IndexOf(';') < 0)
            {
                split = amp > 0 ? amp : split;
            }

            if (rest[..split].Trim() is { IsEmpty: false } turn)
            {
                turns.Add(turn.ToString());
            }

            rest = rest[split..];
        }

        if (rest.Trim() is { IsEmpty: false } last)
        {
            turns.Add(last.ToString());
        }

        return turns;
    }

    /// <summary>The value of header <paramref name="name"/> in a message's <c>\r\n</c>-separated headers, or empty.</summary>
    public static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> name)
    {
        foreach (var range in headers.Split("\r\n"u8))
        {
            var line = headers[range];
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && line[..colon].Trim((byte)' ').SequenceEqual(name))
            {
                return line[(colon + 1)..].Trim((byte)' ');
            }
        }

        return default;
    }

    /// <summary>Splits a binary frame into its headers and its body; <see langword="false"/> when the header length does not fit.</summary>
    public static bool TrySplitBinary(ReadOnlySpan<byte> frame, out int headerLength)
    {
        headerLength = frame.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(frame) : -1;
        return headerLength >= 0 && 2 + headerLength <= frame.Length;
    }

    /// <summary>Splits a text message at its blank line into its headers and its body.</summary>
    public static ReadOnlySpan<byte> TextHeaders(ReadOnlySpan<byte> message)
    {
        var end = message.IndexOf("\r\n\r\n"u8);
        return end < 0 ? message : message[..end];
    }
}
