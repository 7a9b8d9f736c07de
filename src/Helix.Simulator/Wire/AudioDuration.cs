using System.Buffers.Binary;

namespace Helix.Simulator.Wire;

/// <summary>Works out how long a piece of audio is: a WAV file from its header, an MP3 from its frames, anything else from its size.</summary>
internal static class AudioDuration
{
    /// <summary>How many leading bytes of a file <see cref="Measure"/> wants to see.</summary>
    public const int HeadLength = 4096;

    /// <summary>The duration and channel count of <paramref name="totalBytes"/> bytes of audio starting with <paramref name="head"/>.</summary>
    /// <param name="head">The first bytes (up to <see cref="HeadLength"/>).</param>
    /// <param name="totalBytes">The audio's whole length.</param>
    /// <param name="bytesPerSecond">The rate to assume when it is not a WAV file.</param>
    /// <param name="channels">The channel count to assume when it is not a WAV file.</param>
    /// <remarks>An MP3 is measured only when <paramref name="head"/> holds the whole file.</remarks>
    public static (double Seconds, int Channels) Measure(ReadOnlySpan<byte> head, long totalBytes, double bytesPerSecond, int channels)
    {
        if (TryReadWav(head, totalBytes, out var seconds, out var wavChannels))
        {
            return (seconds, wavChannels);
        }

        if (head.Length == totalBytes && head.Length >= 4 && (head.StartsWith("ID3"u8) || (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)))
        {
            var meter = new Helix.Providers.Shared.AudioMeter("mp3");
            meter.Add(head);
            if (meter.Seconds > 0)
            {
                return ((double)meter.Seconds, 1);
            }
        }

        return (totalBytes / bytesPerSecond, channels);
    }

    private static bool TryReadWav(ReadOnlySpan<byte> head, long totalBytes, out double seconds, out int channels)
    {
        seconds = 0;
        channels = 0;
        if (head.Length < 12 || !head[..4].SequenceEqual("RIFF"u8) || !head[8..12].SequenceEqual("WAVE"u8))
        {
            return false;
        }

        long byteRate = 0;
        var position = 12;
        while (position + 8 <= head.Length)
        {
            var id = head.Slice(position, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(head[(position + 4)..]);
            if (id.SequenceEqual("fmt "u8) && position + 24 <= head.Length)
            {
                channels = BinaryPrimitives.ReadUInt16LittleEndian(head[(position + 10)..]);
                byteRate = BinaryPrimitives.ReadUInt32LittleEndian(head[(position + 16)..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (byteRate == 0 || channels == 0)
                {
                    return false;
                }

                // Streamed WAV files leave the data size 0 or 0xFFFFFFFF: the data then runs to the end.
                var available = totalBytes - (position + 8);
                var dataBytes = size == 0 || size > available ? available : size;
                seconds = (double)dataBytes / byteRate;
                return true;
            }

            position += 8 + (int)Math.Min(size + (size & 1), int.MaxValue - position - 8);
        }

        return false;
    }
}
