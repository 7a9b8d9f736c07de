using System.Buffers.Binary;
using Helix.Simulator.Wire;

namespace Helix.Simulator.OpenAI;

/// <summary>
/// <c>POST audio/speech</c>: silent audio (mp3, wav or pcm) lasting as long as the input takes to read aloud
/// (15 characters a second at speed 1). No usage on the wire; the ledger records the characters and the audio seconds sent.
/// </summary>
internal sealed class SpeechEndpoint(SimulatorState state)
{
    private const int MaxInputCharacters = 4096;
    private const double CharactersPerSecond = 15;
    private const int PcmSampleRate = 24_000;

    // One silent MPEG-1 Layer III frame, 32 kbit/s, 44.1 kHz, mono: a 4-byte header and zeroed side info and data.
    private const int Mp3FrameLength = 104;
    private static readonly byte[] s_mp3Frame = CreateMp3Frame();

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Ids.Hex("req_", 16);
        context.Response.Headers["x-request-id"] = requestId;
        var errors = OpenAIErrorDialect.OpenAI;
        using var document = await RequestJson.ReadAsync(context);
        if (document is null)
        {
            await errors.RejectAsync(context, requestId, "We could not parse the JSON body of your request.");
            return;
        }

        var root = document.RootElement;
        var model = RequestJson.GetString(root, "model");
        var input = RequestJson.GetString(root, "input");
        var format = RequestJson.GetString(root, "response_format") ?? "mp3";
        var speed = RequestJson.GetDouble(root, "speed") ?? 1.0;
        string? problem = (model, input) switch
        {
            (null or "", _) => "you must provide a model parameter",
            (_, null or "") => "'input' must be a non-empty string.",
            (_, { Length: > MaxInputCharacters }) => $"'input' is longer than {MaxInputCharacters} characters.",
            _ when RequestJson.GetString(root, "voice") is null or "" => "'voice' is required.",
            _ when speed is < 0.25 or > 4.0 => "'speed' must be between 0.25 and 4.0.",
            _ when format is not ("mp3" or "wav" or "pcm") => $"The simulator renders mp3, wav and pcm, not '{format}'.",
            _ => null,
        };
        if (problem is not null)
        {
            await errors.RejectAsync(context, requestId, problem);
            return;
        }

        var plan = state.BeginCall(SimulatorProviders.OpenAI, model!);
        if (!await CallGate.PassAsync(context, plan, errors, requestId, model!))
        {
            return;
        }

        var seconds = input!.Length / CharactersPerSecond / speed;
        var (audio, contentType, audioSeconds) = format switch
        {
            "wav" => (Wav(seconds), "audio/wav", Math.Ceiling(seconds * PcmSampleRate) / PcmSampleRate),
            "pcm" => (new byte[2 * (int)Math.Ceiling(seconds * PcmSampleRate)], "audio/pcm", Math.Ceiling(seconds * PcmSampleRate) / PcmSampleRate),
            _ => (Mp3(seconds), "audio/mpeg", Mp3Frames(seconds) * Mp3FrameSeconds),
        };

        // gpt-4o-mini-tts is priced on text tokens in; tts-1 and tts-1-hd on characters.
        var instructions = RequestJson.GetString(root, "instructions")?.Length ?? 0;
        var promptTokens = model!.StartsWith("gpt-", StringComparison.OrdinalIgnoreCase)
            ? plan.Behavior.PromptTokens ?? TokenMath.FromCharacters(input.Length + instructions)
            : 0;
        state.Bill(new SimulatorLedgerEntry(
            state.TimeProvider.GetUtcNow(), SimulatorProviders.OpenAI, plan.Behavior.ReportedModel ?? model, requestId,
            promptTokens, CachedTokens: 0, CompletionTokens: 0, ReasoningTokens: 0, AudioSeconds: audioSeconds,
            Characters: input.Length, Streamed: false));

        using var writer = new WireWriter(context, plan.Fault);
        await writer.SendBodyAsync(audio, contentType);
    }

    /// <summary>A silent MP3 of <paramref name="seconds"/> (rounded up to whole frames), for every simulated speech provider.</summary>
    internal static byte[] Mp3(double seconds)
    {
        var frames = Mp3Frames(seconds);
        var audio = new byte[frames * Mp3FrameLength];
        for (var offset = 0; offset < audio.Length; offset += Mp3FrameLength)
        {
            s_mp3Frame.CopyTo(audio, offset);
        }

        return audio;
    }

    /// <summary>The frames of an MP3 of <paramref name="seconds"/>.</summary>
    internal static int Mp3Frames(double seconds) => Math.Max(1, (int)Math.Ceiling(seconds / Mp3FrameSeconds));

    /// <summary>The seconds of one MP3 frame.</summary>
    internal const double Mp3FrameSeconds = 1152.0 / 44_100;

    /// <summary>A silent 24 kHz 16-bit mono WAV of <paramref name="seconds"/>.</summary>
    internal static byte[] Wav(double seconds)
    {
        var dataLength = 2 * (int)Math.Ceiling(seconds * PcmSampleRate);
        var wav = new byte[44 + dataLength];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataLength);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], PcmSampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], PcmSampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataLength);
        return wav;
    }

    private static byte[] CreateMp3Frame()
    {
        var frame = new byte[Mp3FrameLength];
        frame[0] = 0xFF;
        frame[1] = 0xFB; // MPEG-1, Layer III, no CRC
        frame[2] = 0x10; // 32 kbit/s, 44.1 kHz, no padding
        frame[3] = 0xC4; // mono, original
        return frame;
    }
}
