using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Deepgram;
using Xunit;

namespace Helix.Providers.Tests.Deepgram;

public sealed class DeepgramUsageTests
{
    [Fact]
    public void ParseListen_PreRecorded_BillsTheDuration()
    {
        var report = DeepgramUsage.ParseListen(Recorded.Bytes("deepgram", "listen.json"), multichannel: false);

        Assert.Equal(
            new UsageReport(new UsageMeters { AudioSeconds = 125.5m }, true, "nova-3", null, "5d2f8c1e-0a4b-4c6d-8e9f-rec000000001"),
            report);
    }

    [Fact]
    public void ParseListen_Multichannel_BillsEveryChannel()
    {
        var report = DeepgramUsage.ParseListen(Recorded.Bytes("deepgram", "listen-multichannel.json"), multichannel: true);

        Assert.Equal(120.5m, report.Meters.AudioSeconds);
        Assert.Equal("nova-2", report.ReportedModel);
    }

    [Fact]
    public void ParseListen_TwoResultChannelsWithoutTheFlag_BillsEveryChannel()
    {
        var report = DeepgramUsage.ParseListen(Recorded.Bytes("deepgram", "listen-multichannel.json"), multichannel: false);

        Assert.Equal(120.5m, report.Meters.AudioSeconds);
    }

    [Fact]
    public void ParseListen_StereoAudioTranscribedAsOneChannel_BillsTheDurationOnce()
    {
        var body = """{"metadata":{"duration":60.25,"channels":2},"results":{"channels":[{"alternatives":[{"transcript":"hi"}]}]}}"""u8;

        var report = DeepgramUsage.ParseListen(body, multichannel: false);

        Assert.Equal(60.25m, report.Meters.AudioSeconds);
    }

    [Fact]
    public void ParseListen_ThreeResultChannels_BillsThreeTimesTheDuration()
    {
        var body = """{"metadata":{"duration":10.5,"channels":1},"results":{"channels":[{},{},{}]}}"""u8;

        var report = DeepgramUsage.ParseListen(body, multichannel: false);

        Assert.Equal(31.5m, report.Meters.AudioSeconds);
    }

    [Fact]
    public void ParseListen_ModelInfoWithoutArch_UsesTheName()
    {
        var body = """{"metadata":{"duration":1,"channels":0,"model_info":{"a":"odd","b":{"name":"general-enhanced","version":"1"}}}}"""u8;

        var report = DeepgramUsage.ParseListen(body, multichannel: true);

        Assert.Equal("general-enhanced", report.ReportedModel);
        Assert.Equal(1m, report.Meters.AudioSeconds);
    }

    [Fact]
    public void ParseListen_OddValues_ReadLeniently()
    {
        var body = """{"metadata":{"duration":1.0e2,"channels":"2","request_id":5,"models":["m"],"model_info":[]},"results":{"channels":[]}}"""u8;

        var report = DeepgramUsage.ParseListen(body, multichannel: true);

        Assert.Equal(200m, report.Meters.AudioSeconds);
        Assert.Null(report.ProviderRequestId);
        Assert.Null(report.ReportedModel);
    }

    [Theory]
    [InlineData("\"60\"", 0)]
    [InlineData("{\"s\":1}", 0)]
    [InlineData("-5", 0)]
    [InlineData("2.5", 2.5)]
    public void ParseStreamingMetadata_OddDuration_ReadsLeniently(string duration, double seconds)
    {
        var body = System.Text.Encoding.UTF8.GetBytes($$$"""{"type":"Metadata","duration":{{{duration}}},"channels":3.0}""");

        var report = DeepgramUsage.ParseStreamingMetadata(body, multichannel: true);

        Assert.Equal((decimal)seconds * 3, report.Meters.AudioSeconds);
    }

    [Fact]
    public void ParseListen_NoDuration_IsUnknown()
    {
        var report = DeepgramUsage.ParseListen("""{"metadata":{"request_id":"r1"},"results":{}}"""u8, multichannel: false);

        Assert.Equal(UsageReport.Unknown(null, "r1"), report);
    }

    [Fact]
    public void ParseListen_NoMetadata_IsUnknown()
    {
        Assert.False(DeepgramUsage.ParseListen("""{"metadata":"x","results":{}}"""u8, multichannel: false).IsKnown);
    }

    [Fact]
    public void ParseStreamingMetadata_FinalMetadata_BillsTheStreamWithTheStreamingTier()
    {
        var report = DeepgramUsage.ParseStreamingMetadata(Recorded.Bytes("deepgram", "streaming-metadata.json"), multichannel: false);

        Assert.Equal(
            new UsageReport(new UsageMeters { AudioSeconds = 600m }, true, "nova-2", DeepgramUsage.StreamingTier, "7e1a2b3c-4d5e-6f70-8192-rec000000003"),
            report);
        Assert.Equal("streaming", report.ServiceTier);
    }

    [Fact]
    public void ParseStreamingMetadata_ResultsMessage_IsUnknown()
    {
        var report = DeepgramUsage.ParseStreamingMetadata(Recorded.Bytes("deepgram", "streaming-results.json"), multichannel: false);

        Assert.False(report.IsKnown);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"metadata\":")]
    public void Parse_NotAJsonObject_Throws(string body)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);

        Assert.ThrowsAny<JsonException>(() => DeepgramUsage.ParseListen(bytes, multichannel: false));
        Assert.ThrowsAny<JsonException>(() => DeepgramUsage.ParseStreamingMetadata(bytes, multichannel: false));
    }
}
