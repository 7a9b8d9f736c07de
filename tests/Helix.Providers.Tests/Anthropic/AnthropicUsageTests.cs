using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Anthropic;
using Xunit;

namespace Helix.Providers.Tests.Anthropic;

public sealed class AnthropicUsageTests
{
    [Fact]
    public void ParseMessage_OneHourCacheWriteAndRead_Case9KeepsEveryCountApart()
    {
        var report = AnthropicUsage.ParseMessage(Recorded.Bytes("anthropic", "message.json"));

        Assert.True(report.IsKnown);
        Assert.Equal(new UsageMeters { InputTokens = 500, CacheWrite1hTokens = 20000, CacheReadTokens = 30000, OutputTokens = 1000 }, report.Meters);
        Assert.Equal("claude-opus-4-5-20251101", report.ReportedModel);
        Assert.Equal("msg_01RecAnthropic001", report.ProviderRequestId);
        Assert.Null(report.ServiceTier);
        Assert.Equal(50500, report.Meters.PromptTokens);
    }

    [Fact]
    public void ParseMessage_CacheReadOnBatch_Case8AndTheBatchTier()
    {
        var report = AnthropicUsage.ParseMessage(Recorded.Bytes("anthropic", "message-cache-read.json"));

        Assert.Equal(new UsageMeters { InputTokens = 9, CacheReadTokens = 17102, OutputTokens = 400 }, report.Meters);
        Assert.Equal("batch", report.ServiceTier);
    }

    [Fact]
    public void ParseMessage_CacheCreationWithoutBreakdown_IsAllFiveMinuteWrites()
    {
        var report = AnthropicUsage.ParseMessage(Recorded.Bytes("anthropic", "message-legacy-cache.json"));

        Assert.Equal(new UsageMeters { InputTokens = 25, CacheWrite5mTokens = 4000, OutputTokens = 410, WebSearchRequests = 3 }, report.Meters);
    }

    [Fact]
    public void ParseMessage_BreakdownShortOfTheTotal_TheRestIsFiveMinuteWrites()
    {
        var body = """{"usage":{"input_tokens":1,"cache_creation_input_tokens":1000,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":600,"future_ttl":3},"output_tokens":2}}"""u8;

        var report = AnthropicUsage.ParseMessage(body);

        Assert.Equal(new UsageMeters { InputTokens = 1, CacheWrite5mTokens = 400, CacheWrite1hTokens = 600, OutputTokens = 2 }, report.Meters);
    }

    [Fact]
    public void ParseMessage_OddCountsAndUnknownFields_ReadLeniently()
    {
        var body = """{"id":7,"type":"message","usage":{"input_tokens":"12","output_tokens":4.0,"cache_read_input_tokens":{"x":1},"cache_creation_input_tokens":[1],"inference_geo":"us","server_tool_use":{"web_search_requests":-2,"web_fetch_requests":1},"cache_creation":"none"}}"""u8;

        var report = AnthropicUsage.ParseMessage(body);

        Assert.Equal(new UsageMeters { InputTokens = 12, OutputTokens = 4 }, report.Meters);
        Assert.Null(report.ProviderRequestId);
    }

    [Fact]
    public void ParseMessage_NoUsage_IsUnknown()
    {
        var report = AnthropicUsage.ParseMessage("""{"id":"msg_1","model":"claude-sonnet-4-5","usage":null}"""u8);

        Assert.Equal(UsageReport.Unknown("claude-sonnet-4-5", "msg_1"), report);
    }

    [Theory]
    [InlineData("priority", "priority")]
    [InlineData("standard", null)]
    [InlineData("STANDARD", null)]
    public void ParseMessage_ServiceTier_StandardReadsAsNone(string tier, string? expected)
    {
        var body = System.Text.Encoding.UTF8.GetBytes($$$"""{"usage":{"input_tokens":1,"output_tokens":1,"service_tier":"{{{tier}}}","server_tool_use":null}}""");

        Assert.Equal(expected, AnthropicUsage.ParseMessage(body).ServiceTier);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"usage\":{")]
    public void ParseMessage_NotAJsonObject_Throws(string body)
    {
        Assert.ThrowsAny<JsonException>(() => AnthropicUsage.ParseMessage(System.Text.Encoding.UTF8.GetBytes(body)));
    }
}
