using System.Text;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Gateway.DataPlane.Audio;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane.Audio;

public sealed class TranscriptRendererTests
{
    private static readonly Transcript s_twoSegments = new(
        "Hello there. General Kenobi.",
        "en",
        4.25m,
        [new TranscriptSegment(0m, 1.5m, " Hello there."), new TranscriptSegment(1.5m, 4.25m, "General Kenobi. ")],
        new UsageReport(new UsageMeters { AudioSeconds = 4.25m }, IsKnown: true));

    [Fact]
    public void Render_Json_WritesTextAndDurationUsage()
    {
        var (body, contentType) = TranscriptRenderer.Render(s_twoSegments, TranscriptFormat.Json);

        Assert.Equal("application/json", contentType);
        Assert.Equal("""{"text":"Hello there. General Kenobi.","usage":{"type":"duration","seconds":4.25}}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Render_JsonOfATokenBilledModel_WritesTokenUsage()
    {
        var transcript = s_twoSegments with
        {
            Usage = new UsageReport(new UsageMeters { InputTokens = 7, InputAudioTokens = 100, OutputTokens = 12 }, IsKnown: true),
        };

        var (body, _) = TranscriptRenderer.Render(transcript, TranscriptFormat.Json);

        Assert.Equal(
            """{"text":"Hello there. General Kenobi.","usage":{"type":"tokens","input_tokens":107,"input_token_details":{"text_tokens":7,"audio_tokens":100},"output_tokens":12,"total_tokens":119}}""",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Render_JsonWithUnknownUsage_WritesOnlyText()
    {
        var (body, _) = TranscriptRenderer.Render(s_twoSegments with { Usage = UsageReport.Unknown() }, TranscriptFormat.Json);

        Assert.Equal("""{"text":"Hello there. General Kenobi."}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Render_Text_WritesTheTextAndALineFeed()
    {
        var (body, contentType) = TranscriptRenderer.Render(s_twoSegments, TranscriptFormat.Text);

        Assert.Equal("text/plain; charset=utf-8", contentType);
        Assert.Equal("Hello there. General Kenobi.\n", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Render_Srt_NumbersCuesWithCommaMilliseconds()
    {
        var (body, _) = TranscriptRenderer.Render(s_twoSegments, TranscriptFormat.Srt);

        Assert.Equal(
            "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n2\n00:00:01,500 --> 00:00:04,250\nGeneral Kenobi.\n\n",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Render_Vtt_StartsWithTheHeaderAndUsesDotMilliseconds()
    {
        var (body, contentType) = TranscriptRenderer.Render(s_twoSegments, TranscriptFormat.Vtt);

        Assert.Equal("text/vtt; charset=utf-8", contentType);
        Assert.Equal(
            "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello there.\n\n00:00:01.500 --> 00:00:04.250\nGeneral Kenobi.\n\n",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Render_VerboseJson_WritesEverySegmentFieldOpenAIRequires()
    {
        var (body, _) = TranscriptRenderer.Render(s_twoSegments, TranscriptFormat.VerboseJson, temperature: 0.2);

        Assert.Equal(
            """{"task":"transcribe","language":"en","duration":4.25,"text":"Hello there. General Kenobi.","segments":[""" +
            """{"id":0,"seek":0,"start":0,"end":1.5,"text":" Hello there.","tokens":[],"temperature":0.2,"avg_logprob":0,"compression_ratio":0,"no_speech_prob":0},""" +
            """{"id":1,"seek":0,"start":1.5,"end":4.25,"text":"General Kenobi. ","tokens":[],"temperature":0.2,"avg_logprob":0,"compression_ratio":0,"no_speech_prob":0}],""" +
            "\"usage\":{\"type\":\"duration\",\"seconds\":4.25}}",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Render_TranscriptWithoutSegments_GetsOneCueOverTheWholeAudio()
    {
        var transcript = new Transcript("Just this.", null, null, [], UsageReport.Unknown());

        var (srt, _) = TranscriptRenderer.Render(transcript, TranscriptFormat.Srt, audioSeconds: 3661.0005m);
        var (verbose, _) = TranscriptRenderer.Render(transcript, TranscriptFormat.VerboseJson, audioSeconds: 2.000m);

        Assert.Equal("1\n00:00:00,000 --> 01:01:01,001\nJust this.\n\n", Encoding.UTF8.GetString(srt));
        Assert.Contains("\"language\":\"unknown\",\"duration\":2,", Encoding.UTF8.GetString(verbose), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SilentAudio_WritesNoCues()
    {
        var transcript = new Transcript("", "en", 2m, [], UsageReport.Unknown());

        var (vtt, _) = TranscriptRenderer.Render(transcript, TranscriptFormat.Vtt);
        var (srt, _) = TranscriptRenderer.Render(transcript, TranscriptFormat.Srt);

        Assert.Equal("WEBVTT\n\n", Encoding.UTF8.GetString(vtt));
        Assert.Equal("", Encoding.UTF8.GetString(srt));
    }

    [Theory]
    [InlineData(null, nameof(TranscriptFormat.Json))]
    [InlineData("json", nameof(TranscriptFormat.Json))]
    [InlineData("text", nameof(TranscriptFormat.Text))]
    [InlineData("verbose_json", nameof(TranscriptFormat.VerboseJson))]
    [InlineData("srt", nameof(TranscriptFormat.Srt))]
    [InlineData("vtt", nameof(TranscriptFormat.Vtt))]
    public void TryParse_OpenAIFormats_AreKnown(string? value, string expected)
    {
        Assert.True(TranscriptRenderer.TryParse(value, out var format));
        Assert.Equal(expected, format.ToString());
    }

    [Theory]
    [InlineData("JSON")]
    [InlineData("xml")]
    [InlineData("diarized_json")]
    public void TryParse_OtherValues_AreRefused(string value)
    {
        Assert.False(TranscriptRenderer.TryParse(value, out _));
    }
}
