using System.Net;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Simulator;

public sealed class AnthropicSimulationTests : SimulatorTestBase
{
    private const string Path = "anthropic/v1/messages";

    // system 12 + user 8 characters: 5 prompt tokens.
    private const string CachedRequest = """{"model":"claude-sonnet-4-5","max_tokens":1024,"system":[{"type":"text","text":"123456789012","cache_control":{"type":"ephemeral","ttl":"1h"}}],"messages":[{"role":"user","content":"12345678"}]""";

    [Fact]
    public async Task Messages_NotStreamed_ReportsUsageWithCacheFieldsApart()
    {
        State.Default = new SimulatorBehavior { PromptTokens = 20_525, CachedTokens = 500, CacheWriteTokens = 20_000, CompletionTokens = 410 };

        using var response = await PostJsonAsync(Path, CachedRequest + "}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("message", body.GetProperty("type").GetString());
        Assert.StartsWith("msg_", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("end_turn", body.GetProperty("stop_reason").GetString());
        Assert.Equal("text", body.GetProperty("content")[0].GetProperty("type").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(25, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(500, usage.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(20_000, usage.GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("cache_creation").GetProperty("ephemeral_5m_input_tokens").GetInt32());
        Assert.Equal(20_000, usage.GetProperty("cache_creation").GetProperty("ephemeral_1h_input_tokens").GetInt32());
        Assert.Equal(410, usage.GetProperty("output_tokens").GetInt32());
        var entry = Assert.Single(State.Ledger);
        Assert.Equal(response.Headers.GetValues("request-id").Single(), entry.RequestId);
        Assert.Equal((20_525L, 500L, 0L, 20_000L), (entry.PromptTokens, entry.CachedTokens, entry.CacheWrite5mTokens, entry.CacheWrite1hTokens));
    }

    [Fact]
    public async Task Messages_CacheWriteWithoutOneHourTtl_CountsFiveMinuteWrites()
    {
        State.Default = new SimulatorBehavior { PromptTokens = 100, CacheWriteTokens = 60 };

        using var response = await PostJsonAsync(Path, """{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":"q","cache_control":{"type":"ephemeral"}}]}]}""");

        var usage = (await ReadJsonAsync(response)).GetProperty("usage");
        Assert.Equal(40, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(60, usage.GetProperty("cache_creation").GetProperty("ephemeral_5m_input_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("cache_creation").GetProperty("ephemeral_1h_input_tokens").GetInt32());
    }

    [Fact]
    public async Task Messages_Streamed_SendsEventSequenceWithCumulativeOutputInMessageDelta()
    {
        State.Default = new SimulatorBehavior { CompletionTokens = 3 };

        using var response = await PostJsonAsync(Path, CachedRequest + ""","stream":true}""");

        var events = ParseSse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.All(events, e => Assert.Equal(e.Event, Parse(e.Data).GetProperty("type").GetString()));
        var start = Parse(events[0].Data).GetProperty("message").GetProperty("usage");
        Assert.Equal(5, start.GetProperty("input_tokens").GetInt32());
        Assert.Equal(1, start.GetProperty("output_tokens").GetInt32());
        var text = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => Parse(e.Data).GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("lorem ipsum dolor", text);
        var delta = Parse(events[^2].Data);
        Assert.Equal("end_turn", delta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(3, delta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Messages_StreamedWithThinking_SendsThinkingBlockCountedInOutput()
    {
        State.Default = new SimulatorBehavior { CompletionTokens = 2, ReasoningTokens = 4 };

        using var response = await PostJsonAsync(Path, """{"model":"claude-sonnet-4-5","max_tokens":100,"thinking":{"type":"enabled","budget_tokens":3},"stream":true,"messages":[{"role":"user","content":"q"}]}""");

        var events = ParseSse(await response.Content.ReadAsStringAsync(Ct)).Select(e => Parse(e.Data)).ToList();
        Assert.Equal("thinking", events[1].GetProperty("content_block").GetProperty("type").GetString());
        var deltaTypes = events.Where(e => e.GetProperty("type").GetString() == "content_block_delta")
            .Select(e => e.GetProperty("delta").GetProperty("type").GetString());
        Assert.Equal(["thinking_delta", "thinking_delta", "thinking_delta", "signature_delta", "text_delta", "text_delta"], deltaTypes);
        Assert.Equal(5, events[^2].GetProperty("usage").GetProperty("output_tokens").GetInt32());
        var entry = Assert.Single(State.Ledger);
        Assert.Equal((5L, 3L), (entry.CompletionTokens, entry.ReasoningTokens));
    }

    [Fact]
    public async Task Messages_CutStream_BreaksWithoutMessageDeltaAndBillsSentTokens()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.CutStream, CompletionTokens = 8 };

        using var response = await PostJsonForStreamAsync(Path, CachedRequest + ""","stream":true}""");
        var (text, error) = await ReadUntilBrokenAsync(response);

        Assert.NotNull(error);
        var events = ParseSse(text);
        Assert.DoesNotContain(events, e => e.Event is "message_delta" or "message_stop");
        Assert.Equal(4, events.Count(e => e.Event == "content_block_delta"));
        Assert.Equal(4, Assert.Single(State.Ledger).CompletionTokens);
    }

    [Theory]
    [InlineData(SimulatorFault.Overloaded, 529, "overloaded_error")]
    [InlineData(SimulatorFault.RateLimited, 429, "rate_limit_error")]
    [InlineData(SimulatorFault.ServerError, 500, "api_error")]
    [InlineData(SimulatorFault.Unauthorized, 401, "authentication_error")]
    [InlineData(SimulatorFault.InsufficientQuota, 402, "billing_error")]
    public async Task Messages_ErrorFault_AnswersAnthropicErrorShape(SimulatorFault fault, int status, string type)
    {
        State.Default = new SimulatorBehavior { Fault = fault, RetryAfterSeconds = 2 };

        using var response = await PostJsonAsync(Path, CachedRequest + "}");

        Assert.Equal(status, (int)response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal(type, body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(response.Headers.GetValues("request-id").Single(), body.GetProperty("request_id").GetString());
        Assert.Equal(fault is SimulatorFault.RateLimited ? TimeSpan.FromSeconds(2) : null, response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Messages_WithoutMaxTokens_Answers400InvalidRequest()
    {
        using var response = await PostJsonAsync(Path, """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"q"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (await ReadJsonAsync(response)).GetProperty("error").GetProperty("type").GetString());
    }
}
