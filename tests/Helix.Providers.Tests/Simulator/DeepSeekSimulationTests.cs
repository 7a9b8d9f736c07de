using System.Net;
using System.Text.Json;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Simulator;

public sealed class DeepSeekSimulationTests : SimulatorTestBase
{
    private const string Path = "deepseek/chat/completions";

    [Fact]
    public async Task ChatCompletions_CachedTokens_ReportsHitAndMissSplit()
    {
        State.SetBehavior(SimulatorProviders.DeepSeek, null, new SimulatorBehavior { PromptTokens = 10_000, CachedTokens = 8_000, CompletionTokens = 10 });

        using var response = await PostJsonAsync(Path, """{"model":"deepseek-chat","messages":[{"role":"user","content":"hi"}]}""");

        var body = await ReadJsonAsync(response);
        var usage = body.GetProperty("usage");
        Assert.Equal(10_000, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(8_000, usage.GetProperty("prompt_cache_hit_tokens").GetInt32());
        Assert.Equal(2_000, usage.GetProperty("prompt_cache_miss_tokens").GetInt32());
        Assert.Equal(8_000, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.False(body.GetProperty("choices")[0].GetProperty("message").TryGetProperty("reasoning_content", out _));
        Assert.Equal(0, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"model":"deepseek-reasoner","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"deepseek-v4-flash","thinking":{"type":"enabled"},"messages":[{"role":"user","content":"hi"}]}""")]
    public async Task ChatCompletions_Thinking_ReturnsReasoningContentCountedInCompletion(string request)
    {
        State.Default = new SimulatorBehavior { CompletionTokens = 6, ReasoningTokens = 4 };

        using var response = await PostJsonAsync(Path, request);

        var body = await ReadJsonAsync(response);
        var message = body.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal("lorem ipsum dolor sit", message.GetProperty("reasoning_content").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(10, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        var entry = Assert.Single(State.Ledger);
        Assert.Equal("deepseek", entry.Provider);
        Assert.Equal(4, entry.ReasoningTokens);
        Assert.Equal(10, entry.CompletionTokens);
    }

    [Fact]
    public async Task ChatCompletions_StreamedReasoner_SendsReasoningDeltasBeforeContent()
    {
        State.Default = new SimulatorBehavior { CompletionTokens = 2, ReasoningTokens = 3 };

        using var response = await PostJsonAsync(Path, """{"model":"deepseek-reasoner","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");

        var events = ParseSse(await response.Content.ReadAsStringAsync(Ct));
        var deltas = events.SkipLast(2).Select(e => Parse(e.Data).GetProperty("choices")[0].GetProperty("delta")).ToList();
        var reasoning = string.Concat(deltas.Select(d => d.TryGetProperty("reasoning_content", out var r) && r.ValueKind is JsonValueKind.String ? r.GetString() : null));
        var content = string.Concat(deltas.Select(d => d.TryGetProperty("content", out var c) && c.ValueKind is JsonValueKind.String ? c.GetString() : null));
        Assert.Equal("lorem ipsum dolor", reasoning);
        Assert.Equal("lorem ipsum", content);
        var usage = Parse(events[^2].Data).GetProperty("usage");
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_StreamedWithLatency_SendsKeepAliveCommentsFirst()
    {
        State.Default = new SimulatorBehavior { Latency = TimeSpan.FromMilliseconds(150), CompletionTokens = 1 };

        using var response = await PostJsonAsync(Path, """{"model":"deepseek-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith(": keep-alive\n\n", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        Assert.Equal("lorem", Parse(ParseSse(text)[1].Data).GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
    }

    [Fact]
    public async Task ChatCompletions_NotStreamedWithLatency_SendsBlankLinesBeforeJson()
    {
        State.Default = new SimulatorBehavior { Latency = TimeSpan.FromMilliseconds(100) };

        using var response = await PostJsonAsync(Path, """{"model":"deepseek-chat","messages":[{"role":"user","content":"hi"}]}""");

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("\n", text, StringComparison.Ordinal);
        Assert.Equal(24, Parse(text).GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_InsufficientQuota_Answers402InOpenAIShape()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.InsufficientQuota };

        using var response = await PostJsonAsync(Path, """{"model":"deepseek-chat","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("Insufficient Balance", (await ReadJsonAsync(response)).GetProperty("error").GetProperty("message").GetString());
    }
}
