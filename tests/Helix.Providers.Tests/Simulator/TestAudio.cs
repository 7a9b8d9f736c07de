using System.Buffers.Binary;

namespace Helix.Providers.Tests.Simulator;

/// <summary>Silent audio of a known duration.</summary>
internal static class TestAudio
{
    /// <summary>A 16-bit PCM WAV file of <paramref name="seconds"/> at <paramref name="sampleRate"/> with <paramref name="channels"/>.</summary>
    public static byte[] Wav(double seconds, int sampleRate = 16_000, int channels = 1)
    {
        var byteRate = sampleRate * channels * 2;
        var dataLength = (int)(seconds * byteRate);
        var wav = new byte[44 + dataLength];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataLength);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], byteRate);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], (short)(channels * 2));
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataLength);
        return wav;
    }

    /// <summary>A silent MP3 of <paramref name="frames"/> MPEG-1 Layer III frames (32 kbit/s, 44.1 kHz, mono): 1152/44100 s each.</summary>
    public static byte[] Mp3(int frames)
    {
        const int FrameLength = 104;
        var mp3 = new byte[frames * FrameLength];
        for (var offset = 0; offset < mp3.Length; offset += FrameLength)
        {
            mp3[offset] = 0xFF;
            mp3[offset + 1] = 0xFB;
            mp3[offset + 2] = 0x10;
            mp3[offset + 3] = 0xC4;
        }

        return mp3;
    }
}
