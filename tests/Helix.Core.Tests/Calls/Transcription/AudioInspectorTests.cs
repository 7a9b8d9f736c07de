using System.Buffers.Binary;
using Helix.Core.Calls.Transcription;
using Helix.Testing;
using Xunit;

namespace Helix.Core.Tests.Calls.Transcription;

public sealed class AudioInspectorTests
{
    [Theory]
    [InlineData(16000, 1, 16, 16000 * 3, "3")]
    [InlineData(44100, 2, 16, 44100 * 7 / 2, "3.5")]
    [InlineData(8000, 1, 8, 8000, "1")]
    [InlineData(48000, 2, 24, 48000 * 2, "2")]
    [InlineData(22050, 6, 32, 22050 / 2, "0.5")]
    [InlineData(16000, 1, 16, 1, "0.0000625")]
    public void Inspect_PcmWav_ReadsExactDurationAndChannels(int sampleRate, int channels, int bits, long frames, string seconds)
    {
        var wav = TestAudio.Wav(frames, sampleRate, channels, bits);

        var info = AudioInspector.Inspect(wav);

        Assert.Equal(AudioContainer.Wav, info.Container);
        Assert.Equal(decimal.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), info.DurationSeconds);
        Assert.Equal(channels, info.Channels);
        Assert.Equal("audio/wav", info.ContentType);
    }

    [Fact]
    public void Inspect_WaveFormatExtensible_ReadsThePcmSubFormat()
    {
        var wav = TestAudio.Wav(48000 * 5, 48000, channels: 2, bitsPerSample: 24, extensible: true);

        var info = AudioInspector.Inspect(wav);

        Assert.Equal(5m, info.DurationSeconds);
        Assert.Equal(2, info.Channels);
    }

    [Fact]
    public void Inspect_WavWithAnOddSizedChunkBeforeData_SkipsItWithItsPadding()
    {
        var wav = TestAudio.Wav(16000 * 4, extraChunk: true);

        var info = AudioInspector.Inspect(wav);

        Assert.Equal(4m, info.DurationSeconds);
    }

    [Fact]
    public void Inspect_WavWhoseDataChunkClaimsMoreThanTheFile_CountsWhatIsThere()
    {
        var wav = TestAudio.Wav(16000 * 2);
        var dataSize = wav.AsSpan(wav.Length - (16000 * 2 * 2) - 4, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(dataSize, uint.MaxValue);

        var info = AudioInspector.Inspect(wav);

        Assert.Equal(2m, info.DurationSeconds);
    }

    [Fact]
    public void Inspect_CompressedWavWithFactChunk_UsesTheSampleCount()
    {
        // IMA ADPCM (0x0011), 8 kHz mono: 256-byte blocks of 505 samples, a fact chunk of 8000 × 3 samples.
        byte[] header =
        [
            .. "RIFF"u8, 0, 0, 0, 0, .. "WAVE"u8,
            .. "fmt "u8, 20, 0, 0, 0, 0x11, 0x00, 1, 0, 0x40, 0x1F, 0, 0, 0xD7, 0x0F, 0, 0, 0x00, 0x01, 4, 0, 2, 0, 0xF9, 0x01,
            .. "fact"u8, 4, 0, 0, 0, 0xC0, 0x5D, 0, 0,
            .. "data"u8, 0x00, 0x30, 0, 0,
        ];
        byte[] wav = [.. header, .. new byte[0x3000]];

        var info = AudioInspector.Inspect(wav);

        Assert.Equal(3m, info.DurationSeconds);
        Assert.Equal(1, info.Channels);
    }

    [Fact]
    public void Inspect_WavWithoutDataChunk_HasNoDuration()
    {
        var wav = TestAudio.Wav(16000)[..36];

        var info = AudioInspector.Inspect(wav);

        Assert.Equal(AudioContainer.Wav, info.Container);
        Assert.Null(info.DurationSeconds);
        Assert.Equal(1, info.Channels);
    }

    [Fact]
    public void Inspect_CbrMp3At48kHz_ReadsTheDurationFromBitrateAndSize()
    {
        // 128 kbit/s at 48 kHz: 384-byte frames of 1152 samples, 24 ms each.
        var mp3 = TestAudio.Mp3Cbr(250, bitrateKbps: 128, sampleRate: 48000);

        var info = AudioInspector.Inspect(mp3);

        Assert.Equal(AudioContainer.Mp3, info.Container);
        Assert.Equal(6m, info.DurationSeconds);
        Assert.Equal(2, info.Channels);
        Assert.Equal("audio/mpeg", info.ContentType);
    }

    [Fact]
    public void Inspect_CbrMp3BehindId3v2AndFollowedById3v1_CountsOnlyTheFrames()
    {
        var mp3 = TestAudio.Mp3Cbr(500, bitrateKbps: 64, sampleRate: 32000, mono: true, id3v2: true, id3v1: true);

        var info = AudioInspector.Inspect(mp3);

        Assert.Equal(AudioContainer.Mp3, info.Container);
        Assert.Equal(500 * 1152m / 32000, info.DurationSeconds);
        Assert.Equal(1, info.Channels);
    }

    [Fact]
    public void Inspect_CbrMp3At44kHzWithoutPadding_IsWithinAFrameOfTheTrueLength()
    {
        var mp3 = TestAudio.Mp3Cbr(1000, bitrateKbps: 128, sampleRate: 44100);

        var info = AudioInspector.Inspect(mp3);

        var exact = 1000 * 1152m / 44100;
        Assert.InRange(info.DurationSeconds!.Value, exact - 0.1m, exact + 0.1m);
    }

    [Theory]
    [InlineData(false, "Xing")]
    [InlineData(true, "Xing")]
    [InlineData(false, "Info")]
    public void Inspect_VbrMp3WithXingOrInfoHeader_UsesTheFrameCount(bool mono, string tag)
    {
        var mp3 = TestAudio.Mp3Vbr(declaredFrames: 3828, mono: mono, xingTag: tag);

        var info = AudioInspector.Inspect(mp3);

        Assert.Equal(3828 * 1152m / 44100, info.DurationSeconds);
        Assert.Equal(mono ? 1 : 2, info.Channels);
    }

    [Fact]
    public void Inspect_VbrMp3WithVbriHeader_UsesTheFrameCount()
    {
        var mp3 = TestAudio.Mp3Vbr(declaredFrames: 1000, vbri: true);

        var info = AudioInspector.Inspect(mp3);

        Assert.Equal(1000 * 1152m / 44100, info.DurationSeconds);
    }

    [Fact]
    public void Inspect_Mpeg2LayerIII_Uses576SamplesPerFrame()
    {
        // MPEG-2 layer III (0xFFF3), 64 kbit/s (index 8), 24 kHz (index 1): 72 × 64000 / 24000 = 192-byte frames.
        var frame = new byte[192];
        frame[0] = 0xFF;
        frame[1] = 0xF3;
        frame[2] = (8 << 4) | (1 << 2);
        var mp3 = Enumerable.Repeat(frame, 125).SelectMany(f => f).ToArray();

        var info = AudioInspector.Inspect(mp3);

        Assert.Equal(AudioContainer.Mp3, info.Container);
        Assert.Equal(125 * 576m / 24000, info.DurationSeconds);
    }

    [Fact]
    public void Inspect_Flac_ReadsStreamInfo()
    {
        var flac = TestAudio.FlacHeader(totalSamples: 44100 * 9, sampleRate: 44100, channels: 2);

        var info = AudioInspector.Inspect(flac);

        Assert.Equal(AudioContainer.Flac, info.Container);
        Assert.Equal(9m, info.DurationSeconds);
        Assert.Equal(2, info.Channels);
    }

    public static TheoryData<byte[], AudioContainer> Magic => new()
    {
        { TestAudio.WavSeconds(1), AudioContainer.Wav },
        { TestAudio.Mp3Cbr(3), AudioContainer.Mp3 },
        { TestAudio.Mp3Cbr(3, id3v2: true), AudioContainer.Mp3 },
        { TestAudio.OggHead(), AudioContainer.Ogg },
        { TestAudio.FlacHeader(1000), AudioContainer.Flac },
        { TestAudio.WebMHead(), AudioContainer.WebM },
        { TestAudio.Mp4Head(), AudioContainer.Mp4 },
        { TestAudio.Mp4Head("isom"), AudioContainer.Mp4 },
        { "hello, this is text, not audio"u8.ToArray(), AudioContainer.Unknown },
        { [0x89, .. "PNG"u8, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0], AudioContainer.Unknown },
        { [.. "RIFF"u8, 0, 0, 0, 0, .. "AVI "u8], AudioContainer.Unknown },
        { [0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC], AudioContainer.Unknown }, // AAC ADTS: layer bits 00
        { [0xFF, 0xFB, 0x90, 0x00, 0x01, 0x02], AudioContainer.Unknown },       // a lone sync word, no second frame
        { [0x01], AudioContainer.Unknown },
    };

    [Theory]
    [MemberData(nameof(Magic))]
    public void Detect_MagicBytes_NameTheContainer(byte[] data, AudioContainer expected)
    {
        Assert.Equal(expected, AudioInspector.Detect(data));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("application/octet-stream", "audio.wav")]
    [InlineData("audio/wav", "meeting.wav")]
    [InlineData("audio/x-wav; charset=binary", "MEETING.WAV")]
    [InlineData("audio/vnd.wave", "recording")]
    [InlineData(null, "notes.bin")]
    public void Check_WavLabelledAsWavOrNotAtAll_Passes(string? contentType, string? fileName)
    {
        var result = AudioInspector.Check(TestAudio.WavSeconds(2), contentType, fileName);

        Assert.True(result.IsSuccess);
        Assert.Equal(2m, result.Value.DurationSeconds);
    }

    [Theory]
    [InlineData("audio/mpeg", "meeting.wav", "audio/mpeg")]
    [InlineData("audio/ogg", null, "audio/ogg")]
    [InlineData(null, "meeting.mp3", "meeting.mp3")]
    [InlineData("application/octet-stream", "meeting.m4a", "meeting.m4a")]
    [InlineData("audio/wav", "meeting.flac", "meeting.flac")]
    public void Check_WavLabelledAsAnotherFormat_IsRefusedAsMismatch(string? contentType, string? fileName, string named)
    {
        var result = AudioInspector.Check(TestAudio.WavSeconds(1), contentType, fileName);

        Assert.False(result.IsSuccess);
        Assert.Equal("audio_format_mismatch", result.Error.Code);
        Assert.Equal(400, result.Error.StatusCode);
        Assert.Contains(named, result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("WAV", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Mp3LabelledAsM4a_IsRefusedAsMismatch()
    {
        var result = AudioInspector.Check(TestAudio.Mp3Cbr(10), "audio/m4a", "voice.m4a");

        Assert.Equal("audio_format_mismatch", result.Error?.Code);
    }

    [Fact]
    public void Check_AudioLabelledAsText_IsRefusedAsUnsupported()
    {
        var result = AudioInspector.Check(TestAudio.WavSeconds(1), "text/plain", "a.wav");

        Assert.Equal("unsupported_audio_format", result.Error?.Code);
    }

    [Fact]
    public void Check_BytesThatAreNotAudio_AreRefusedAsUnsupported()
    {
        var result = AudioInspector.Check("%PDF-1.7 not audio"u8, "audio/wav", "a.wav");

        Assert.Equal("unsupported_audio_format", result.Error?.Code);
    }

    [Fact]
    public void Check_EmptyFile_IsRefused()
    {
        var result = AudioInspector.Check([], "audio/wav", "a.wav");

        Assert.Equal("invalid_request", result.Error?.Code);
        Assert.Contains("empty", result.Error?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("audio/webm", "a.webm")]
    [InlineData("video/webm", "a.mka")]
    public void Check_WebMLabelledAsWebM_PassesWithoutDuration(string contentType, string fileName)
    {
        var result = AudioInspector.Check(TestAudio.WebMHead(), contentType, fileName);

        Assert.True(result.IsSuccess);
        Assert.Equal(AudioContainer.WebM, result.Value.Container);
        Assert.Null(result.Value.DurationSeconds);
    }
}
