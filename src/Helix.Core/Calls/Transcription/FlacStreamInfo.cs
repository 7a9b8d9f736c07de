using System.Buffers.Binary;

namespace Helix.Core.Calls.Transcription;

/// <summary>Reads a FLAC file's length and channels from its <c>STREAMINFO</c> block.</summary>
internal static class FlacStreamInfo
{
    /// <param name="data">The file, from its <c>fLaC</c> marker.</param>
    public static AudioInfo Read(ReadOnlySpan<byte> data)
    {
        // fLaC, then the first metadata block, which the format requires to be STREAMINFO (type 0, 34 bytes).
        if (data.Length < 4 + 4 + 18 || (data[4] & 0x7F) != 0)
        {
            return new AudioInfo(AudioContainer.Flac, null, null);
        }

        // 20 bits sample rate, 3 bits channels − 1, 5 bits bits-per-sample − 1, 36 bits total samples.
        var packed = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(8 + 10, 8));
        var sampleRate = (int)(packed >> 44);
        var channels = (int)((packed >> 41) & 0x7) + 1;
        var totalSamples = (long)(packed & 0xF_FFFF_FFFF);
        decimal? duration = sampleRate > 0 && totalSamples > 0 ? (decimal)totalSamples / sampleRate : null;
        return new AudioInfo(AudioContainer.Flac, duration, channels);
    }
}
