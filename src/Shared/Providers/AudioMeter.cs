using System.Buffers.Binary;

namespace Helix.Providers.Shared;

/// <summary>Measures the seconds of audio in bytes as they arrive: WAV from its header, raw 16-bit PCM from its rate, MP3 frame by frame.</summary>
/// <remarks>
/// Other formats (opus, aac, flac) are not measured: <see cref="Seconds"/> stays 0 and <see cref="IsMeasured"/>
/// false. An MP3's ID3v2 tag is skipped; each frame counts its samples over its sample rate, whichever chunk its
/// header falls in. Not thread-safe: one stream, one meter.
/// </remarks>
internal sealed class AudioMeter
{
    private static readonly int[] s_mpeg1Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];
    private static readonly int[] s_mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0];
    private static readonly int[] s_sampleRates = [44_100, 48_000, 32_000, 0];

    private readonly Format _format;
    private readonly int _pcmBytesPerSecond;
    private readonly byte[] _head = new byte[10];
    private int _headLength;
    private long _skip;
    private long _bytes;
    private long _wavByteRate;
    private long _wavDataStart = -1;
    private double _mp3Seconds;

    /// <summary>A meter for audio of <paramref name="format"/> (<c>mp3</c>, <c>wav</c>, <c>pcm</c>, …; a media type works too).</summary>
    /// <param name="format">The format or media type.</param>
    /// <param name="pcmSampleRate">The sample rate of raw PCM (OpenAI and Edge send 24 kHz, 16-bit, mono).</param>
    public AudioMeter(string format, int pcmSampleRate = 24_000)
    {
        _format = format.ToLowerInvariant() switch
        {
            "mp3" or "audio/mpeg" or "audio/mp3" => Format.Mp3,
            "wav" or "audio/wav" or "audio/x-wav" or "audio/wave" => Format.Wav,
            "pcm" or "audio/pcm" or "audio/l16" => Format.Pcm,
            _ => Format.Other,
        };
        _pcmBytesPerSecond = pcmSampleRate * 2;
    }

    private enum Format
    {
        Other,
        Mp3,
        Wav,
        Pcm,
    }

    /// <summary>Whether the format is one the meter measures.</summary>
    public bool IsMeasured => _format != Format.Other;

    /// <summary>The seconds of audio seen so far, rounded to the millisecond.</summary>
    public decimal Seconds => Math.Round(_format switch
    {
        Format.Mp3 => (decimal)_mp3Seconds,
        Format.Pcm => (decimal)_bytes / _pcmBytesPerSecond,
        Format.Wav when _wavByteRate > 0 && _wavDataStart >= 0 => (decimal)Math.Max(0, _bytes - _wavDataStart) / _wavByteRate,
        _ => 0m,
    }, 3);

    /// <summary>The bytes seen so far.</summary>
    public long Bytes => _bytes;

    /// <summary>Counts the next piece of the audio.</summary>
    public void Add(ReadOnlySpan<byte> chunk)
    {
        if (_format == Format.Wav && _wavDataStart < 0)
        {
            ReadWavHeader(chunk);
        }
        else if (_format == Format.Mp3)
        {
            CountFrames(chunk);
        }

        _bytes += chunk.Length;
    }

    // The canonical header (RIFF, fmt, data) arrives whole in the first chunk of every real answer.
    private void ReadWavHeader(ReadOnlySpan<byte> chunk)
    {
        if (_bytes != 0 || chunk.Length < 12 || !chunk[..4].SequenceEqual("RIFF"u8))
        {
            return;
        }

        var position = 12;
        while (position + 8 <= chunk.Length)
        {
            var id = chunk.Slice(position, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[(position + 4)..]);
            if (id.SequenceEqual("fmt "u8) && position + 20 <= chunk.Length)
            {
                _wavByteRate = BinaryPrimitives.ReadUInt32LittleEndian(chunk[(position + 16)..]);
            }
            else if (id.SequenceEqual("data"u8))
            {
                _wavDataStart = position + 8;
                return;
            }

            position += 8 + (int)Math.Min(size + (size & 1), int.MaxValue - position - 8);
        }
    }

    private void CountFrames(ReadOnlySpan<byte> chunk)
    {
        var i = 0;
        while (i < chunk.Length)
        {
            if (_skip > 0)
            {
                var skipped = (int)Math.Min(_skip, chunk.Length - i);
                _skip -= skipped;
                i += skipped;
                continue;
            }

            // Gather a header, which may straddle two chunks.
            var take = Math.Min(_head.Length - _headLength, chunk.Length - i);
            chunk.Slice(i, take).CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
            i += take;
            if (_headLength < _head.Length)
            {
                return;
            }

            var consumed = Inspect(_head);
            var leftover = _head.Length - consumed;
            if (consumed < _head.Length)
            {
                // The inspected bytes were fewer than the gathered ones: keep the rest as the start of the next header.
                _head.AsSpan(consumed).CopyTo(_head);
                _headLength = leftover;
            }
            else
            {
                _headLength = 0;
            }
        }
    }

    // Looks at 10 gathered bytes; returns how many of them were used (the rest of a frame or tag is skipped later).
    private int Inspect(ReadOnlySpan<byte> head)
    {
        if (head[..3].SequenceEqual("ID3"u8))
        {
            var size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F);
            _skip = size;
            return 10;
        }

        if (head[0] != 0xFF || (head[1] & 0xE0) != 0xE0)
        {
            return 1; // not a frame: resynchronise on the next byte
        }

        var version = (head[1] >> 3) & 0x3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
        var layer = (head[1] >> 1) & 0x3;    // 1 = Layer III
        var bitrateIndex = head[2] >> 4;
        var rateIndex = (head[2] >> 2) & 0x3;
        var padding = (head[2] >> 1) & 0x1;
        if (version == 1 || layer != 1 || bitrateIndex is 0 or 15 || rateIndex == 3)
        {
            return 1;
        }

        var sampleRate = s_sampleRates[rateIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        var bitrate = (version == 3 ? s_mpeg1Bitrates : s_mpeg2Bitrates)[bitrateIndex] * 1000;
        var samples = version == 3 ? 1152 : 576;
        var frameLength = (samples / 8 * bitrate / sampleRate) + padding;
        _mp3Seconds += (double)samples / sampleRate;
        _skip = Math.Max(0, frameLength - head.Length);
        return head.Length;
    }
}
