using Helix.Core.Metering;
using Helix.Providers.Gemini;
using Xunit;

namespace Helix.Providers.Tests.Gemini;

public sealed class GeminiStreamUsageTests
{
    [Fact]
    public void ParseSseTranscript_RecordedStream_TakesTheLastChunkAndEqualsNonStreamed()
    {
        var streamed = GeminiStreamUsage.ParseSseTranscript(Recorded.Text("gemini", "stream.sse"));
        var whole = GeminiUsage.ParseGenerateContent(Recorded.Bytes("gemini", "generate-content.json"));

        Assert.True(streamed.IsKnown);
        Assert.Equal(whole, streamed);
    }

    [Fact]
    public void ParseSseTranscript_CutBeforeTheFinalChunk_IsUnknown()
    {
        var report = GeminiStreamUsage.ParseSseTranscript(Recorded.Text("gemini", "stream-cut.sse"));

        Assert.Equal(UsageReport.Unknown("gemini-2.5-flash", "rec-gem-006"), report);
    }

    [Fact]
    public void ParseSseTranscript_NamedEventsDoneAndEmptyData_AreRead()
    {
        var transcript = "event: message\ndata:\ndata: [DONE]\n" + Recorded.Text("gemini", "stream.sse");

        Assert.True(GeminiStreamUsage.ParseSseTranscript(transcript).IsKnown);
    }

    [Fact]
    public void ParseSseTranscript_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => GeminiStreamUsage.ParseSseTranscript(null!));
    }

    [Fact]
    public void Observe_RunningTotals_AreNeverSummed()
    {
        var usage = new GeminiStreamUsage();

        usage.Observe("""{"candidates":[{"content":{"parts":[{"text":"a"}]}}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":1}}"""u8);
        usage.Observe("""{"candidates":[{"content":{"parts":[{"text":"b"}]}}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":2}}"""u8);
        usage.Observe("""{"candidates":[{"content":{"parts":[{"text":"c"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":3}}"""u8);

        Assert.Equal(new UsageMeters { InputTokens = 10, OutputTokens = 3 }, usage.Report.Meters);
    }

    [Fact]
    public void Observe_FinalChunkWithoutUsage_KeepsTheLastUsageSeen()
    {
        var usage = new GeminiStreamUsage();

        usage.Observe("""{"candidates":[{"content":{"parts":[{"text":"a"}]}}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":9}}"""u8);
        usage.Observe("""{"candidates":[{"finishReason":"MAX_TOKENS"}]}"""u8);

        Assert.True(usage.Report.IsKnown);
        Assert.Equal(9, usage.Report.Meters.OutputTokens);
    }

    [Fact]
    public void Observe_BlockedPrompt_IsFinal()
    {
        var usage = new GeminiStreamUsage();

        usage.Observe(Recorded.Bytes("gemini", "generate-content-blocked.json"));

        Assert.True(usage.Report.IsKnown);
    }

    [Theory]
    [InlineData("""{"candidates":[{"finishReason":"FINISH_REASON_UNSPECIFIED"}],"usageMetadata":{"promptTokenCount":1}}""")]
    [InlineData("""{"promptFeedback":{"blockReason":"BLOCK_REASON_UNSPECIFIED"},"usageMetadata":{"promptTokenCount":1}}""")]
    [InlineData("""{"candidates":[3,{"content":{}}],"promptFeedback":null,"usageMetadata":{"promptTokenCount":1}}""")]
    public void Observe_NoRealFinish_StaysUnknown(string chunk)
    {
        var usage = new GeminiStreamUsage();

        usage.Observe(System.Text.Encoding.UTF8.GetBytes(chunk));

        Assert.False(usage.Report.IsKnown);
    }

    [Fact]
    public void Observe_FinishWithoutAnyUsage_IsUnknown()
    {
        var usage = new GeminiStreamUsage();

        usage.Observe("""{"candidates":[{"finishReason":"STOP"}]}"""u8);

        Assert.False(usage.Report.IsKnown);
    }

    [Fact]
    public void Observe_TornChunk_IsIgnored()
    {
        var usage = new GeminiStreamUsage();

        usage.Observe("""{"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":3}}"""u8);
        usage.Observe("""{"candidates":[{"fini"""u8);

        Assert.Equal(3, usage.Report.Meters.InputTokens);
    }
}
