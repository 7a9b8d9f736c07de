using Helix.Core.Metering;
using Helix.Providers.OpenAI;
using Xunit;

namespace Helix.Providers.Tests.OpenAI;

public sealed class OpenAIStreamUsageTests
{
    [Fact]
    public void ParseSseTranscript_RecordedStream_EqualsTheNonStreamedUsage()
    {
        var streamed = OpenAIStreamUsage.ParseSseTranscript(Recorded.Text("openai", "chat-stream.sse"));
        var whole = OpenAIUsage.ParseChatCompletion(Recorded.Bytes("openai", "chat-completion.json"));

        Assert.True(streamed.IsKnown);
        Assert.Equal(whole, streamed);
    }

    [Fact]
    public void ParseSseTranscript_DeepSeekWithKeepAlives_EqualsTheNonStreamedUsage()
    {
        var streamed = OpenAIStreamUsage.ParseSseTranscript(Recorded.Text("deepseek", "chat-stream.sse"));
        var whole = OpenAIUsage.ParseChatCompletion(Recorded.Bytes("deepseek", "chat-completion.json"));

        Assert.Equal(whole, streamed);
    }

    [Fact]
    public void ParseSseTranscript_CutBeforeUsage_IsUnknown()
    {
        var report = OpenAIStreamUsage.ParseSseTranscript(Recorded.Text("openai", "chat-stream-cut.sse"));

        Assert.False(report.IsKnown);
        Assert.True(report.Meters.IsEmpty);
        Assert.Equal("gpt-4o-mini-2024-07-18", report.ReportedModel);
        Assert.Equal("chatcmpl-rec004", report.ProviderRequestId);
    }

    [Fact]
    public void ParseSseTranscript_BlankLinesLostAndCrLf_StillReadsEveryDataLine()
    {
        var transcript = "data:{\"id\":\"a\",\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\r\n"
            + ": ping\r\n"
            + "data:{\"id\":\"a\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\r\n"
            + "data:[DONE]\r\n"
            + "data:\r\n"
            + "retry: 100\r\n";

        var report = OpenAIStreamUsage.ParseSseTranscript(transcript);

        Assert.Equal(new UsageReport(new UsageMeters { InputTokens = 3, OutputTokens = 1 }, true, ProviderRequestId: "a"), report);
    }

    [Fact]
    public void ParseSseTranscript_Empty_IsUnknown()
    {
        Assert.False(OpenAIStreamUsage.ParseSseTranscript(string.Empty).IsKnown);
    }

    [Fact]
    public void ParseSseTranscript_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => OpenAIStreamUsage.ParseSseTranscript(null!));
    }

    [Fact]
    public void Observe_RepeatedCumulativeUsage_LastWinsNeverSums()
    {
        var usage = new OpenAIStreamUsage();

        usage.Observe("""{"choices":[{"delta":{"content":"a"}}],"usage":{"prompt_tokens":10,"completion_tokens":1}}"""u8);
        usage.Observe("""{"choices":[{"delta":{"content":"b"}}],"usage":{"prompt_tokens":10,"completion_tokens":2}}"""u8);
        usage.Observe("""{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":3}}"""u8);

        Assert.Equal(new UsageMeters { InputTokens = 10, OutputTokens = 3 }, usage.Report.Meters);
    }

    [Fact]
    public void Observe_NoChunk_IsUnknown()
    {
        var usage = new OpenAIStreamUsage();

        Assert.Equal(UsageReport.Unknown(), usage.Report);
    }

    [Fact]
    public void Observe_TornOrNonObjectChunks_AreIgnored()
    {
        var usage = new OpenAIStreamUsage();

        usage.Observe("""{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":5}}"""u8);
        usage.Observe("""{"choices":[],"usage":{"prompt_tok"""u8);
        usage.Observe("[]"u8);
        usage.Observe(""u8);

        Assert.Equal(new UsageMeters { InputTokens = 5, OutputTokens = 5 }, usage.Report.Meters);
    }

    [Fact]
    public void Observe_ServiceTierOnChunk_IsReported()
    {
        var usage = new OpenAIStreamUsage();

        usage.Observe("""{"service_tier":"priority","model":"gpt-5","choices":[{"delta":{}}]}"""u8);
        usage.Observe("""{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}"""u8);

        Assert.Equal("priority", usage.Report.ServiceTier);
        Assert.Equal("gpt-5", usage.Report.ReportedModel);
    }
}
