using System.Buffers.Binary;

namespace Helix.Core.Calls.Transcription;

/// <summary>Reads a RIFF/WAVE file's length and channels from its <c>fmt </c>, <c>fact</c> and <c>data</c> chunks.</summary>
/// <remarks>
/// PCM and IEEE float (plain or <c>WAVE_FORMAT_EXTENSIBLE</c>) count whole sample frames: data bytes ÷ block align ÷
/// sample rate. Compressed formats use the <c>fact</c> chunk's sample count when present, else the average byte rate.
/// A <c>data</c> chunk that claims more than the file holds (a stream written before its size was known) counts
/// what is there.
/// </remarks>
internal static class WavHeader
{
    private const ushort FormatPcm = 0x0001;
    private const ushort FormatFloat = 0x0003;
    private const ushort FormatExtensible = 0xFFFE;

    public static AudioInfo Read(ReadOnlySpan<byte> data)
    {
        ushort format = 0;
        int channels = 0;
        uint sampleRate = 0;
        uint byteRate = 0;
        ushort blockAlign = 0;
        uint? factSamples = null;
        long? dataBytes = null;

        var offset = 12;
        while (offset + 8 <= data.Length)
        {
            var id = data.Slice(offset, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(offset + 4, 4));
            var body = offset + 8;
            var available = Math.Min(size, data.Length - body);
            if (id.SequenceEqual("fmt "u8) && available >= 16)
            {
                var fmt = data.Slice(body, (int)available);
                format = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[8..]);
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
                if (format == FormatExtensible && fmt.Length >= 26)
                {
                    // The sub-format GUID starts with the real format tag (KSDATAFORMAT_SUBTYPE_PCM = 0x0001, …).
                    format = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
                }
            }
            else if (id.SequenceEqual("fact"u8) && available >= 4)
            {
                factSamples = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(body, 4));
            }
            else if (id.SequenceEqual("data"u8))
            {
                dataBytes = available;
                break;
            }

            offset = (int)Math.Min(int.MaxValue, body + size + (size & 1));
        }

        if (channels == 0 || sampleRate == 0 || dataBytes is not { } bytes)
        {
            return new AudioInfo(AudioContainer.Wav, null, channels > 0 ? channels : null);
        }

        decimal? duration = format switch
        {
            FormatPcm or FormatFloat when blockAlign > 0 => (decimal)(bytes / blockAlign) / sampleRate,
            _ when factSamples is { } samples => (decimal)samples / sampleRate,
            _ when byteRate > 0 => (decimal)bytes / byteRate,
            _ => null,
        };
        return new AudioInfo(AudioContainer.Wav, duration, channels);
    }
}
