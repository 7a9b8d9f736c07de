using Helix.Core.Metering;
using Helix.Providers.Anthropic;
using Xunit;

namespace Helix.Providers.Tests.Anthropic;

public sealed class AnthropicStreamUsageTests
{
    [Fact]
    public void ParseSseTranscript_RecordedStream_TakesInputFromStartAndOutputFromTheLastDelta()
    {
        var streamed = AnthropicStreamUsage.ParseSseTranscript(Recorded.Text("anthropic", "stream.sse"));
        var whole = AnthropicUsage.ParseMessage(Recorded.Bytes("anthropic", "message.json"));

        Assert.True(streamed.IsKnown);
        Assert.Equal(whole, streamed);
        Assert.Equal(1000, streamed.Meters.OutputTokens);
    }

    [Fact]
    public void ParseSseTranscript_CutBeforeTheDelta_IsUnknown()
    {
        var report = AnthropicStreamUsage.ParseSseTranscript(Recorded.Text("anthropic", "stream-cut.sse"));

        Assert.Equal(UsageReport.Unknown("claude-sonnet-4-5-20250929", "msg_01RecAnthropic004"), report);
    }

    [Fact]
    public void ParseSseTranscript_DoneEmptyDataAndLongEvents_AreRead()
    {
        var padding = new string('x', 4000);
        var transcript = "data:\ndata: [DONE]\n: comment\n"
            + "event: ping\ndata: {\"type\":\"ping\"}\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"" + padding + "\"}}\n"
            + Recorded.Text("anthropic", "stream.sse");

        var report = AnthropicStreamUsage.ParseSseTranscript(transcript);

        Assert.Equal(1000, report.Meters.OutputTokens);
    }

    [Fact]
    public void ParseSseTranscript_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => AnthropicStreamUsage.ParseSseTranscript(null!));
    }

    [Fact]
    public void Observe_ErrorEvent_MarksTheStreamAndLeavesUsageUnknown()
    {
        var usage = new AnthropicStreamUsage();
        var transcript = Recorded.Text("anthropic", "stream-error.sse").Split('\n');

        usage.Observe("message_start", System.Text.Encoding.UTF8.GetBytes(transcript[1]["data: ".Length..]));
        usage.Observe("error", System.Text.Encoding.UTF8.GetBytes(transcript[4]["data: ".Length..]));

        Assert.True(usage.HasError);
        Assert.False(usage.Report.IsKnown);
    }

    [Fact]
    public void Observe_ErrorTypeWithoutEventName_MarksTheStream()
    {
        var usage = new AnthropicStreamUsage();

        usage.Observe("message", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""u8);

        Assert.True(usage.HasError);
    }

    [Fact]
    public void Observe_DeltaRepeatsInputAndCacheCounts_TheyWin()
    {
        var usage = new AnthropicStreamUsage();

        usage.Observe("message_start", """{"type":"message_start","message":{"id":"m","model":"claude","usage":{"input_tokens":10,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,"output_tokens":1}}}"""u8);
        usage.Observe("message_delta", """{"type":"message_delta","usage":{"input_tokens":12,"cache_read_input_tokens":500,"cache_creation_input_tokens":300,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":300},"output_tokens":40,"server_tool_use":{"web_search_requests":2}}}"""u8);
        usage.Observe("message_delta", """{"type":"message_delta","usage":{"output_tokens":90}}"""u8);

        Assert.Equal(
            new UsageMeters { InputTokens = 12, CacheReadTokens = 500, CacheWrite1hTokens = 300, OutputTokens = 90, WebSearchRequests = 2 },
            usage.Report.Meters);
    }

    [Fact]
    public void Observe_NullCountsInADelta_DoNotOverrideTheStart()
    {
        var usage = new AnthropicStreamUsage();

        usage.Observe("", """{"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1,"service_tier":"priority"}}}"""u8);
        usage.Observe("", """{"type":"message_delta","usage":{"input_tokens":null,"output_tokens":7}}"""u8);

        Assert.Equal(new UsageMeters { InputTokens = 10, OutputTokens = 7 }, usage.Report.Meters);
        Assert.Equal("priority", usage.Report.ServiceTier);
    }

    [Fact]
    public void Observe_DeltaWithoutStart_IsUnknown()
    {
        var usage = new AnthropicStreamUsage();

        usage.Observe("message_delta", """{"type":"message_delta","usage":{"output_tokens":7}}"""u8);

        Assert.False(usage.Report.IsKnown);
    }

    [Fact]
    public void Observe_OtherEventsAndTornOrNonObjectPayloads_AreIgnored()
    {
        var usage = new AnthropicStreamUsage();

        usage.Observe("message_start", """{"type":"message_start","message":"oops"}"""u8);
        usage.Observe("ping", """{"type":"ping"}"""u8);
        usage.Observe("message_delta", """{"type":"message_delta","usage":{"output_to"""u8);
        usage.Observe("message_delta", "[1]"u8);
        usage.Observe("message_delta", """{"type":"message_delta","usage":"none"}"""u8);

        Assert.False(usage.Report.IsKnown);
        Assert.False(usage.HasError);
    }
}
