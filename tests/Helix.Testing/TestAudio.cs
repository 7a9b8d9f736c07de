using System.Buffers.Binary;

namespace Helix.Testing;

/// <summary>Audio files of known length built byte by byte: WAVs of silence or a tone, and MPEG audio frames.</summary>
public static class TestAudio
{
    /// <summary>A PCM WAV of <paramref name="frames"/> sample frames (a 440 Hz tone, so it is not all zeros).</summary>
    /// <param name="frames">Sample frames; the length is frames ÷ <paramref name="sampleRate"/> seconds.</param>
    /// <param name="sampleRate">Samples per second per channel.</param>
    /// <param name="channels">Interleaved channels.</param>
    /// <param name="bitsPerSample">8, 16, 24 or 32.</param>
    /// <param name="extensible">Writes <c>WAVE_FORMAT_EXTENSIBLE</c> with the PCM sub-format instead of plain PCM.</param>
    /// <param name="extraChunk">Puts a <c>LIST</c> chunk of odd size (padded) between <c>fmt </c> and <c>data</c>.</param>
    public static byte[] Wav(long frames, int sampleRate = 16000, int channels = 1, int bitsPerSample = 16, bool extensible = false, bool extraChunk = false)
    {
        var blockAlign = channels * bitsPerSample / 8;
        var dataBytes = checked((int)(frames * blockAlign));
        var fmtSize = extensible ? 40 : 16;
        var listSize = extraChunk ? 8 + 13 + 1 : 0;
        var total = 12 + 8 + fmtSize + listSize + 8 + dataBytes;
        var wav = new byte[total];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(total - 8));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)fmtSize);
        var fmt = span[20..];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, extensible ? (ushort)0xFFFE : (ushort)1);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[4..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[8..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[12..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[14..], (ushort)bitsPerSample);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[16..], 22);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[18..], (ushort)bitsPerSample);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt[20..], channels == 1 ? 0x4u : 0x3u);
            // KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71
            byte[] pcm = [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            pcm.CopyTo(fmt[24..]);
        }

        var offset = 20 + fmtSize;
        if (extraChunk)
        {
            "LIST"u8.CopyTo(span[offset..]);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(offset + 4)..], 13);
            "INFOISFThelix"u8.CopyTo(span[(offset + 8)..]);
            offset += listSize;
        }

        "data"u8.CopyTo(span[offset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(offset + 4)..], (uint)dataBytes);
        WriteTone(span.Slice(offset + 8, dataBytes), sampleRate, channels, bitsPerSample);
        return wav;
    }

    /// <summary>A 16 kHz mono 16-bit WAV of exactly <paramref name="seconds"/> seconds.</summary>
    public static byte[] WavSeconds(int seconds, int sampleRate = 16000, int channels = 1) => Wav((long)seconds * sampleRate, sampleRate, channels);

    /// <summary>
    /// MPEG-1 layer III frames at a constant bitrate (44.1 kHz unless said otherwise), optionally behind an ID3v2 tag and
    /// followed by an ID3v1 tag; each frame is 1152 samples long.
    /// </summary>
    public static byte[] Mp3Cbr(int frames, int bitrateKbps = 128, int sampleRate = 44100, bool mono = false, bool id3v2 = false, bool id3v1 = false)
    {
        using var output = new MemoryStream();
        if (id3v2)
        {
            WriteId3v2(output, 300);
        }

        var header = Mp3Header(bitrateKbps, sampleRate, mono, padding: false);
        for (var i = 0; i < frames; i++)
        {
            WriteFrame(output, header, Mp3FrameLength(bitrateKbps, sampleRate, padding: false));
        }

        if (id3v1)
        {
            var tag = new byte[128];
            "TAG"u8.CopyTo(tag);
            output.Write(tag);
        }

        return output.ToArray();
    }

    /// <summary>
    /// A variable-bitrate MPEG-1 layer III file whose first frame carries a Xing (or, with <paramref name="vbri"/>, a
    /// VBRI) header declaring <paramref name="declaredFrames"/> frames; only a few frames follow, at mixed bitrates, so
    /// a reader that used the size would get another length.
    /// </summary>
    public static byte[] Mp3Vbr(int declaredFrames, bool vbri = false, bool mono = false, string xingTag = "Xing")
    {
        using var output = new MemoryStream();
        var first = Mp3Header(128, 44100, mono, padding: false);
        var frame = new byte[Mp3FrameLength(128, 44100, padding: false)];
        first.CopyTo(frame, 0);
        var tagAt = vbri ? 4 + 32 : 4 + (mono ? 17 : 32);
        if (vbri)
        {
            "VBRI"u8.CopyTo(frame.AsSpan(tagAt));
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(tagAt + 4), 1);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(tagAt + 10), 12345);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(tagAt + 14), (uint)declaredFrames);
        }
        else
        {
            System.Text.Encoding.ASCII.GetBytes(xingTag).CopyTo(frame.AsSpan(tagAt));
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(tagAt + 4), 0x1);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(tagAt + 8), (uint)declaredFrames);
        }

        output.Write(frame);
        int[] bitrates = [64, 320, 96, 256, 160];
        foreach (var bitrate in bitrates)
        {
            WriteFrame(output, Mp3Header(bitrate, 44100, mono, padding: false), Mp3FrameLength(bitrate, 44100, padding: false));
        }

        return output.ToArray();
    }

    /// <summary>A FLAC file's marker and STREAMINFO block (no frames): enough for its length and channels.</summary>
    public static byte[] FlacHeader(long totalSamples, int sampleRate = 44100, int channels = 2)
    {
        var flac = new byte[4 + 4 + 34];
        "fLaC"u8.CopyTo(flac);
        flac[4] = 0x80; // last metadata block, type STREAMINFO
        flac[7] = 34;
        var packed = ((ulong)sampleRate << 44) | ((ulong)(channels - 1) << 41) | (15UL << 36) | (ulong)totalSamples;
        BinaryPrimitives.WriteUInt64BigEndian(flac.AsSpan(8 + 10), packed);
        return flac;
    }

    /// <summary>The first bytes of an Ogg, WebM, MP4 or M4A file: what their magic numbers look like.</summary>
    public static byte[] OggHead() => [.. "OggS"u8, 0x00, 0x02, .. new byte[58]];

    /// <inheritdoc cref="OggHead"/>
    public static byte[] WebMHead() => [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, .. "webm"u8, .. new byte[40]];

    /// <inheritdoc cref="OggHead"/>
    public static byte[] Mp4Head(string brand = "M4A ") => [0x00, 0x00, 0x00, 0x20, .. "ftyp"u8, .. System.Text.Encoding.ASCII.GetBytes(brand), .. new byte[40]];

    /// <summary>An MPEG-1 layer III frame header.</summary>
    public static byte[] Mp3Header(int bitrateKbps, int sampleRate, bool mono, bool padding)
    {
        int[] bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
        int[] rates = [44100, 48000, 32000];
        var bitrateIndex = Array.IndexOf(bitrates, bitrateKbps);
        var rateIndex = Array.IndexOf(rates, sampleRate);
        if (bitrateIndex <= 0 || rateIndex < 0)
        {
            throw new ArgumentException("Not an MPEG-1 layer III bitrate or sample rate.");
        }

        // 0xFFFB: sync, MPEG-1, layer III, no CRC.
        return [0xFF, 0xFB, (byte)((bitrateIndex << 4) | (rateIndex << 2) | (padding ? 0x2 : 0)), (byte)(mono ? 0xC0 : 0x00)];
    }

    /// <summary>The length in bytes of an MPEG-1 layer III frame.</summary>
    public static int Mp3FrameLength(int bitrateKbps, int sampleRate, bool padding) => (144 * bitrateKbps * 1000 / sampleRate) + (padding ? 1 : 0);

    private static void WriteFrame(Stream output, byte[] header, int length)
    {
        var frame = new byte[length];
        header.CopyTo(frame, 0);
        output.Write(frame);
    }

    private static void WriteId3v2(Stream output, int size)
    {
        byte[] header = [.. "ID3"u8, 0x04, 0x00, 0x00, (byte)((size >> 21) & 0x7F), (byte)((size >> 14) & 0x7F), (byte)((size >> 7) & 0x7F), (byte)(size & 0x7F)];
        output.Write(header);
        var body = new byte[size];
        // A sync word inside the tag must not be taken for a frame.
        body[10] = 0xFF;
        body[11] = 0xFB;
        body[12] = 0x90;
        output.Write(body);
    }

    private static void WriteTone(Span<byte> data, int sampleRate, int channels, int bitsPerSample)
    {
        var bytesPerSample = bitsPerSample / 8;
        var frameBytes = bytesPerSample * channels;
        for (var frame = 0; frame * frameBytes < data.Length; frame++)
        {
            var value = Math.Sin(2 * Math.PI * 440 * frame / sampleRate) * 0.25;
            for (var channel = 0; channel < channels; channel++)
            {
                var sample = data.Slice((frame * frameBytes) + (channel * bytesPerSample), bytesPerSample);
                switch (bytesPerSample)
                {
                    case 1:
                        sample[0] = (byte)(128 + (value * 127));
                        break;
                    case 2:
                        BinaryPrimitives.WriteInt16LittleEndian(sample, (short)(value * short.MaxValue));
                        break;
                    case 3:
                        var v24 = (int)(value * 8_388_607);
                        sample[0] = (byte)v24;
                        sample[1] = (byte)(v24 >> 8);
                        sample[2] = (byte)(v24 >> 16);
                        break;
                    default:
                        BinaryPrimitives.WriteInt32LittleEndian(sample, (int)(value * int.MaxValue));
                        break;
                }
            }
        }
    }
}
