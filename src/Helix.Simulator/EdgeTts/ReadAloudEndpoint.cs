using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Helix.Simulator.OpenAI;
using Helix.Simulator.Wire;

namespace Helix.Simulator.EdgeTts;

/// <summary>
/// Edge's read-aloud WebSocket (<c>consumer/speech/synthesize/readaloud/edge/v1</c>): the handshake checks the
/// client token and the <c>Sec-MS-GEC</c> token of the current (or the previous) 5-minute window; then each
/// <c>Path:ssml</c> turn is answered with <c>turn.start</c>, silent audio in binary <c>Path:audio</c> frames and
/// <c>turn.end</c>, in the format <c>speech.config</c> asked for (<c>audio-24khz-48kbitrate-mono-mp3</c>,
/// <c>riff-24khz-16bit-mono-pcm</c>, <c>raw-24khz-16bit-mono-pcm</c>; any other closes the socket).
/// </summary>
/// <remarks>
/// The audio lasts as long as the text takes to read (15 characters a second at rate +0%). Faults: errors and
/// timeouts refuse or hold the handshake; <see cref="SimulatorFault.CutStream"/> aborts the connection half-way
/// through the audio; <see cref="SimulatorFault.MalformedJson"/> sends a frame whose header length overruns it.
/// Each turn is billed (characters and audio seconds, at $0) before its <c>turn.end</c>.
/// </remarks>
internal sealed class ReadAloudEndpoint(SimulatorState state)
{
    private const string TrustedClientToken = "6A5AA1D4EAFF4E9FB37E23D68491D6F4";
    private const double CharactersPerSecond = 15;
    private const int SampleRate = 24_000;
    private const int AudioPerFrame = 4_096;

    // One silent MPEG-2 Layer III frame, 48 kbit/s, 24 kHz, mono: 576 samples in 144 bytes.
    private const int Mp3FrameLength = 144;
    private const double Mp3FrameSeconds = 576.0 / SampleRate;

    public async Task HandleAsync(HttpContext context)
    {
        var errors = EdgeTtsErrorDialect.Instance;
        var requestId = Ids.Hex(string.Empty, 16);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await errors.RejectAsync(context, requestId, "Expected a WebSocket upgrade.");
            return;
        }

        var query = context.Request.Query;
        if (query["TrustedClientToken"] != TrustedClientToken || !IsCurrentToken(query["Sec-MS-GEC"].ToString()))
        {
            await errors.WriteAsync(context, WireError.Unauthorized, requestId, "edge-tts", 0);
            return;
        }

        var plan = state.BeginCall(SimulatorProviders.EdgeTts, "edge-tts");
        if (!await CallGate.PassAsync(context, plan, errors, requestId, "edge-tts"))
        {
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        string? outputFormat = null;
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var (type, length) = await ReceiveAsync(socket, buffer, context.RequestAborted);
            if (type == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                return;
            }

            var message = Encoding.UTF8.GetString(buffer, 0, length);
            var split = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headers = split < 0 ? message : message[..split];
            var body = split < 0 ? string.Empty : message[(split + 4)..];
            var path = Header(headers, "Path");
            if (path == "speech.config")
            {
                outputFormat = OutputFormatOf(body);
                continue;
            }

            if (path != "ssml")
            {
                continue;
            }

            var (voice, speed, text) = ParseSsml(body);
            if (outputFormat is not ("audio-24khz-48kbitrate-mono-mp3" or "riff-24khz-16bit-mono-pcm" or "raw-24khz-16bit-mono-pcm")
                || voice is null || text is null)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "Unsupported output format or SSML", context.RequestAborted);
                return;
            }

            var turnId = Header(headers, "X-RequestId") ?? requestId;
            if (!await SpeakAsync(context, socket, plan, turnId, voice, speed, text, outputFormat))
            {
                return;
            }
        }
    }

    private async Task<bool> SpeakAsync(
        HttpContext context, WebSocket socket, CallPlan plan, string turnId, string voice, double speed, string text, string outputFormat)
    {
        var cancellationToken = context.RequestAborted;
        var seconds = text.Length / CharactersPerSecond / speed;
        var (audio, contentType, audioSeconds) = outputFormat switch
        {
            "riff-24khz-16bit-mono-pcm" => (SpeechEndpoint.Wav(seconds), "audio/x-wav", Math.Ceiling(seconds * SampleRate) / SampleRate),
            "raw-24khz-16bit-mono-pcm" => (new byte[2 * (int)Math.Ceiling(seconds * SampleRate)], "audio/x-wav", Math.Ceiling(seconds * SampleRate) / SampleRate),
            _ => (Mp3(seconds, out var frames), "audio/mpeg", frames * Mp3FrameSeconds),
        };

        await SendTextAsync(socket, turnId, "turn.start", """{"context":{"serviceTag":"simulated"}}""", cancellationToken);
        var frameCount = (audio.Length + AudioPerFrame - 1) / AudioPerFrame;
        for (var i = 0; i < frameCount; i++)
        {
            if (plan.Fault is SimulatorFault.CutStream && i >= Math.Max(1, frameCount / 2))
            {
                Bill(turnId, voice, text.Length, audioSeconds);
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
                context.Abort();
                return false;
            }

            var piece = audio.AsMemory(i * AudioPerFrame, Math.Min(AudioPerFrame, audio.Length - (i * AudioPerFrame)));
            await SendAudioAsync(socket, turnId, contentType, piece, malformed: plan.Fault is SimulatorFault.MalformedJson && i == 0, cancellationToken);
            if (plan.Fault is SimulatorFault.MalformedJson)
            {
                Bill(turnId, voice, text.Length, audioSeconds);
                return true;
            }

            await CallGate.PauseAsync(plan.Behavior.ChunkDelay, cancellationToken);
        }

        // The empty audio frame (no Content-Type) that ends a turn's audio, then turn.end.
        await SendAudioAsync(socket, turnId, contentType: null, ReadOnlyMemory<byte>.Empty, malformed: false, cancellationToken);
        Bill(turnId, voice, text.Length, audioSeconds);
        await SendTextAsync(socket, turnId, "turn.end", """{"context":{"serviceTag":"simulated"}}""", cancellationToken);
        return true;
    }

    private void Bill(string turnId, string voice, long characters, double audioSeconds) =>
        state.Bill(new SimulatorLedgerEntry(
            state.TimeProvider.GetUtcNow(), SimulatorProviders.EdgeTts, voice, turnId,
            PromptTokens: 0, CachedTokens: 0, CompletionTokens: 0, ReasoningTokens: 0, audioSeconds, characters, Streamed: true));

    private bool IsCurrentToken(string token)
    {
        var now = state.TimeProvider.GetUtcNow();
        return token == Token(now) || token == Token(now.AddMinutes(-5));
    }

    private static string Token(DateTimeOffset at)
    {
        var seconds = at.ToUnixTimeSeconds() + 11_644_473_600;
        seconds -= seconds % 300;
        var ticks = (seconds * 10_000_000L).ToString(CultureInfo.InvariantCulture);
        return Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(ticks + TrustedClientToken)));
    }

    private static async Task<(WebSocketMessageType Type, int Length)> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                throw new WebSocketException(WebSocketError.Faulted, "The message is larger than the simulator reads.");
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            length += result.Count;
            if (result.MessageType == WebSocketMessageType.Close || result.EndOfMessage)
            {
                return (result.MessageType, length);
            }
        }
    }

    private static Task SendTextAsync(WebSocket socket, string turnId, string path, string body, CancellationToken cancellationToken)
    {
        var message = $"X-RequestId:{turnId}\r\nContent-Type:application/json; charset=utf-8\r\nPath:{path}\r\n\r\n{body}";
        return socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    private static Task SendAudioAsync(
        WebSocket socket, string turnId, string? contentType, ReadOnlyMemory<byte> audio, bool malformed, CancellationToken cancellationToken)
    {
        var headers = Encoding.ASCII.GetBytes(
            $"X-RequestId:{turnId}\r\n" + (contentType is null ? string.Empty : $"Content-Type:{contentType}\r\n")
            + $"X-StreamId:{turnId}\r\nPath:audio\r\n");
        var frame = new byte[2 + headers.Length + audio.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)(malformed ? frame.Length + 100 : headers.Length));
        headers.CopyTo(frame, 2);
        audio.Span.CopyTo(frame.AsSpan(2 + headers.Length));
        return socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
    }

    private static string? Header(string headers, string name)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static string? OutputFormatOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var audio = RequestJson.Get(RequestJson.Get(RequestJson.Get(document.RootElement, "context"), "synthesis"), "audio");
            return RequestJson.GetString(audio, "outputFormat");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // <speak …><voice name='…'><prosody pitch='…' rate='+N%' volume='…'>escaped text</prosody></voice></speak>
    private static (string? Voice, double Speed, string? Text) ParseSsml(string ssml)
    {
        var voice = Attribute(ssml, "<voice name='");
        var rate = Attribute(ssml, "rate='");
        var open = ssml.IndexOf("<prosody", StringComparison.Ordinal);
        var start = open < 0 ? -1 : ssml.IndexOf('>', open) + 1;
        var end = ssml.IndexOf("</prosody>", StringComparison.Ordinal);
        var text = start > 0 && end >= start ? WebUtility.HtmlDecode(ssml[start..end]) : null;
        var speed = 1.0;
        if (rate is { Length: > 1 } && rate.EndsWith('%')
            && double.TryParse(rate[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
        {
            speed = Math.Max(0.05, 1 + (percent / 100));
        }

        return (voice, speed, text);
    }

    private static string? Attribute(string ssml, string prefix)
    {
        var at = ssml.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + prefix.Length;
        var end = ssml.IndexOf('\'', start);
        return end < 0 ? null : ssml[start..end];
    }

    private static byte[] Mp3(double seconds, out int frames)
    {
        frames = Math.Max(1, (int)Math.Ceiling(seconds / Mp3FrameSeconds));
        var audio = new byte[frames * Mp3FrameLength];
        for (var offset = 0; offset < audio.Length; offset += Mp3FrameLength)
        {
            audio[offset] = 0xFF;
            audio[offset + 1] = 0xF3; // MPEG-2, Layer III, no CRC
            audio[offset + 2] = 0x64; // 48 kbit/s, 24 kHz, no padding
            audio[offset + 3] = 0xC4; // mono, original
        }

        return audio;
    }
}
