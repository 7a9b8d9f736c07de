using System.Buffers.Binary;

namespace Helix.Core.Calls.Transcription;

/// <summary>Reads an MPEG audio file's length and channels from its frame headers.</summary>
/// <remarks>
/// The first frame is found past any ID3v2 tag and confirmed by the header of the frame after it (a lone sync word
/// inside a tag or junk is not a frame). Its Xing/Info or VBRI header, when present, gives the frame count of a
/// variable-bitrate file; otherwise the file is taken as constant-bitrate and its length is its audio bytes (an ID3v1
/// tag at the end excluded) at the first frame's bitrate.
/// </remarks>
internal static class Mp3Frames
{
    // Bitrates in kbit/s by [row][index]: MPEG-1 layers I, II, III; MPEG-2/2.5 layer I; MPEG-2/2.5 layers II and III.
    private static readonly int[][] s_bitrates =
    [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ];

    private static readonly int[] s_sampleRatesMpeg1 = [44100, 48000, 32000];

    /// <summary>One parsed frame header.</summary>
    internal readonly record struct FrameHeader(int Version, int Layer, bool HasCrc, int BitrateKbps, int SampleRate, bool Padding, int Channels)
    {
        /// <summary>1 for MPEG-1, 2 for MPEG-2, 25 for MPEG-2.5.</summary>
        public bool IsMpeg1 => Version == 1;

        public int SamplesPerFrame => Layer switch
        {
            1 => 384,
            2 => 1152,
            _ => IsMpeg1 ? 1152 : 576,
        };

        public int Length => Layer == 1
            ? ((12 * BitrateKbps * 1000 / SampleRate) + (Padding ? 1 : 0)) * 4
            : (SamplesPerFrame / 8 * BitrateKbps * 1000 / SampleRate) + (Padding ? 1 : 0);

        /// <summary>Where the Xing/Info tag would sit: after the header, the CRC and the layer III side information.</summary>
        public int XingOffset => 4 + (HasCrc ? 2 : 0) + (IsMpeg1 ? (Channels == 1 ? 17 : 32) : (Channels == 1 ? 9 : 17));
    }

    /// <summary>Whether a whole MPEG audio frame starts at <paramref name="offset"/>, followed by another, a tag or the end.</summary>
    public static bool StartsFrame(ReadOnlySpan<byte> data, int offset)
    {
        if (!TryParse(data, offset, out var header))
        {
            return false;
        }

        // A frame must fit; what follows it is another frame, an ID3v1 tag, or the end of the file.
        var next = offset + header.Length;
        return next <= data.Length
            && (next + 4 > data.Length || data.Slice(next, 3).SequenceEqual("TAG"u8) || TryParse(data, next, out _));
    }

    public static AudioInfo Read(ReadOnlySpan<byte> data)
    {
        var start = AudioInspector.SkipId3v2(data);
        var frame = FindFirstFrame(data, start);
        if (frame < 0 || !TryParse(data, frame, out var header))
        {
            return new AudioInfo(AudioContainer.Mp3, null, null);
        }

        if (CountFrames(data, frame, header) is { } frames)
        {
            return new AudioInfo(AudioContainer.Mp3, (decimal)frames * header.SamplesPerFrame / header.SampleRate, header.Channels);
        }

        var end = data.Length;
        if (end - frame >= 128 && data.Slice(end - 128, 3).SequenceEqual("TAG"u8))
        {
            end -= 128;
        }

        var audioBytes = (decimal)(end - frame);
        return new AudioInfo(AudioContainer.Mp3, audioBytes * 8 / (header.BitrateKbps * 1000m), header.Channels);
    }

    internal static bool TryParse(ReadOnlySpan<byte> data, int offset, out FrameHeader header)
    {
        header = default;
        if (offset < 0 || offset + 4 > data.Length || data[offset] != 0xFF || (data[offset + 1] & 0xE0) != 0xE0)
        {
            return false;
        }

        var b1 = data[offset + 1];
        var b2 = data[offset + 2];
        var b3 = data[offset + 3];
        var version = (b1 >> 3) & 0x3;   // 00 MPEG-2.5, 01 reserved, 10 MPEG-2, 11 MPEG-1
        var layerBits = (b1 >> 1) & 0x3; // 01 layer III, 10 layer II, 11 layer I; 00 is reserved (and is AAC's ADTS)
        var bitrateIndex = (b2 >> 4) & 0xF;
        var rateIndex = (b2 >> 2) & 0x3;
        if (version == 1 || layerBits == 0 || bitrateIndex is 0 or 15 || rateIndex == 3)
        {
            return false;
        }

        var layer = 4 - layerBits;
        var mpeg = version switch { 3 => 1, 2 => 2, _ => 25 };
        var row = mpeg == 1 ? layer - 1 : layer == 1 ? 3 : 4;
        var sampleRate = s_sampleRatesMpeg1[rateIndex] / (mpeg switch { 1 => 1, 2 => 2, _ => 4 });
        header = new FrameHeader(
            mpeg,
            layer,
            HasCrc: (b1 & 0x1) == 0,
            s_bitrates[row][bitrateIndex],
            sampleRate,
            Padding: (b2 & 0x2) != 0,
            Channels: ((b3 >> 6) & 0x3) == 3 ? 1 : 2);
        return true;
    }

    private static int FindFirstFrame(ReadOnlySpan<byte> data, int start)
    {
        // A real file's first frame is at the start or close to it; scanning further would find sync words in noise.
        var limit = Math.Min(data.Length - 4, start + 64 * 1024);
        for (var offset = start; offset <= limit; offset++)
        {
            if (data[offset] == 0xFF && StartsFrame(data, offset))
            {
                return offset;
            }
        }

        return -1;
    }

    private static long? CountFrames(ReadOnlySpan<byte> data, int frame, FrameHeader header)
    {
        var xing = frame + header.XingOffset;
        if (xing + 12 <= data.Length && (data.Slice(xing, 4).SequenceEqual("Xing"u8) || data.Slice(xing, 4).SequenceEqual("Info"u8)))
        {
            var flags = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(xing + 4, 4));
            if ((flags & 0x1) != 0)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(data.Slice(xing + 8, 4));
            }
        }

        // VBRI (Fraunhofer) sits 32 bytes after the header, whatever the mode: tag, version, delay, quality, bytes, frames.
        var vbri = frame + 4 + 32;
        if (vbri + 18 <= data.Length && data.Slice(vbri, 4).SequenceEqual("VBRI"u8))
        {
            return BinaryPrimitives.ReadUInt32BigEndian(data.Slice(vbri + 14, 4));
        }

        return null;
    }
}
