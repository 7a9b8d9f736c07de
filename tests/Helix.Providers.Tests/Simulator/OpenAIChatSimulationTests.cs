using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Simulator;

public sealed class OpenAIChatSimulationTests : SimulatorTestBase
{
    private const string Path = "openai/v1/chat/completions";

    // 40 characters of text: 10 prompt tokens.
    private const string Request = """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"0123456789"},{"role":"user","content":[{"type":"text","text":"012345678901234567890123456789"}]}]""";

    [Fact]
    public async Task ChatCompletions_NotStreamed_ReportsDeterministicUsage()
    {
        using var response = await PostJsonAsync(Path, Request + "}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString(), StringComparison.Ordinal);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(24, choice.GetProperty("message").GetProperty("content").GetString()!.Split(' ').Length);
        var usage = body.GetProperty("usage");
        Assert.Equal(10, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(24, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(34, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.True(response.Headers.Contains("x-request-id"));
    }

    [Fact]
    public async Task ChatCompletions_MaxTokensBelowBehaviour_CapsReplyWithLengthFinish()
    {
        using var response = await PostJsonAsync(Path, Request + ""","max_completion_tokens":5}""");

        var body = await ReadJsonAsync(response);
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("lorem ipsum dolor sit amet", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_BehaviourWithCacheAndReasoning_ReportsSubsetsAndReportedModel()
    {
        State.SetBehavior(SimulatorProviders.OpenAI, "gpt-4o-mini", new SimulatorBehavior
        {
            PromptTokens = 2006,
            CachedTokens = 1920,
            CompletionTokens = 300,
            ReasoningTokens = 64,
            ReportedModel = "gpt-4o-mini-2024-07-18",
        });

        using var response = await PostJsonAsync(Path, Request + "}");

        var body = await ReadJsonAsync(response);
        Assert.Equal("gpt-4o-mini-2024-07-18", body.GetProperty("model").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(2006, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(1920, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(364, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(64, usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        var entry = Assert.Single(State.Ledger);
        Assert.Equal(new SimulatorLedgerEntry(
            entry.At, "openai", "gpt-4o-mini-2024-07-18", response.Headers.GetValues("x-request-id").Single(),
            2006, 1920, 364, 64, 0, 0, Streamed: false), entry);
    }

    [Fact]
    public async Task ChatCompletions_StreamedWithoutIncludeUsage_SendsNoUsageField()
    {
        using var response = await PostJsonAsync(Path, Request + ""","stream":true,"max_tokens":3}""");

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = ParseSse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.SkipLast(1).Select(e => Parse(e.Data)).ToList();
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        var text = string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : null));
        Assert.Equal("lorem ipsum dolor", text);
        Assert.Equal("length", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ChatCompletions_StreamedWithIncludeUsage_SendsUsageOnlyInLastChunkBeforeDone()
    {
        using var response = await PostJsonAsync(Path, Request + ""","stream":true,"stream_options":{"include_usage":true}}""");

        var events = ParseSse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.SkipLast(1).Select(e => Parse(e.Data)).ToList();
        var last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        Assert.Equal(10, last.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(24, last.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        var contentChunks = chunks.Count(c => c.GetProperty("choices").GetArrayLength() == 1
            && c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) && t.GetString() is { Length: > 0 });
        Assert.Equal(24, contentChunks);
        Assert.True(Assert.Single(State.Ledger).Streamed);
    }

    [Fact]
    public async Task ChatCompletions_RateLimitedTwice_FailsTwiceWithRetryAfterThenSucceeds()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.RateLimited, FaultCount = 2, RetryAfterSeconds = 7 };

        using var first = await PostJsonAsync(Path, Request + "}");
        using var second = await PostJsonAsync(Path, Request + "}");
        using var third = await PostJsonAsync(Path, Request + "}");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), first.Headers.RetryAfter?.Delta);
        var error = (await ReadJsonAsync(first)).GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("requests", error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("message", out _));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Single(State.Ledger);
    }

    [Theory]
    [InlineData(SimulatorFault.ServerError, 500, "server_error", null)]
    [InlineData(SimulatorFault.Overloaded, 503, "server_error", null)]
    [InlineData(SimulatorFault.Unauthorized, 401, "invalid_request_error", "invalid_api_key")]
    [InlineData(SimulatorFault.InsufficientQuota, 429, "insufficient_quota", "insufficient_quota")]
    public async Task ChatCompletions_ErrorFault_AnswersOpenAIErrorShapeAndBillsNothing(SimulatorFault fault, int status, string type, string? code)
    {
        State.Default = new SimulatorBehavior { Fault = fault };

        using var response = await PostJsonAsync(Path, Request + "}");

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Null(response.Headers.RetryAfter);
        Assert.Empty(State.Ledger);
    }

    [Fact]
    public async Task ChatCompletions_CutStream_BreaksConnectionWithoutUsageOrDoneAndBillsWhatWasSent()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.CutStream, CompletionTokens = 10 };

        using var response = await PostJsonForStreamAsync(Path, Request + ""","stream":true,"stream_options":{"include_usage":true}}""");
        var (text, error) = await ReadUntilBrokenAsync(response);

        Assert.NotNull(error);
        var events = ParseSse(text);
        Assert.DoesNotContain(events, e => e.Data == "[DONE]");
        Assert.All(events, e => Assert.Equal(JsonValueKind.Null, Parse(e.Data).GetProperty("usage").ValueKind));
        Assert.Equal(6, events.Count);
        var entry = Assert.Single(State.Ledger);
        Assert.Equal(10, entry.PromptTokens);
        Assert.Equal(5, entry.CompletionTokens);
        Assert.True(entry.Streamed);
    }

    [Fact]
    public async Task ChatCompletions_CutNonStreamedBody_BreaksConnectionMidBody()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.CutStream };

        using var response = await PostJsonForStreamAsync(Path, Request + "}");
        var (text, error) = await ReadUntilBrokenAsync(response);

        Assert.NotNull(error);
        Assert.StartsWith("{\"id\":\"chatcmpl-", text, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task ChatCompletions_MalformedJson_Answers200WithInvalidJsonAndBills()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.MalformedJson, FaultCount = 1 };

        using var response = await PostJsonAsync(Path, Request + "}");
        using var next = await PostJsonAsync(Path, Request + "}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        Assert.Equal(24, (await ReadJsonAsync(next)).GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(2, State.Ledger.Count);
    }

    [Fact]
    public async Task ChatCompletions_MalformedJsonStreamed_FirstEventIsInvalidJson()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.MalformedJson };

        using var response = await PostJsonAsync(Path, Request + ""","stream":true}""");

        var events = ParseSse(await response.Content.ReadAsStringAsync(Ct));
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(events[0].Data));
        Assert.Equal("[DONE]", events[^1].Data);
    }

    [Fact]
    public async Task ChatCompletions_Timeout_NeverAnswersUntilClientGivesUp()
    {
        State.Default = new SimulatorBehavior { Fault = SimulatorFault.Timeout };
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        giveUp.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Http.PostAsync(Path, new StringContent(Request + "}", System.Text.Encoding.UTF8, "application/json"), giveUp.Token));

        Assert.Empty(State.Ledger);
    }

    [Fact]
    public async Task ChatCompletions_LatencyAndChunkDelay_DelayTheAnswer()
    {
        State.Default = new SimulatorBehavior
        {
            Latency = TimeSpan.FromMilliseconds(100),
            ChunkDelay = TimeSpan.FromMilliseconds(20),
            CompletionTokens = 5,
        };
        var started = Stopwatch.GetTimestamp();

        using var response = await PostJsonAsync(Path, Request + "}");

        // 100 ms + 5 x 20 ms, less a little for timers that fire a tick early.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(180));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"model":"gpt-4o","messages":[]}""")]
    public async Task ChatCompletions_InvalidRequest_Answers400InvalidRequestError(string json)
    {
        using var response = await PostJsonAsync(Path, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (await ReadJsonAsync(response)).GetProperty("error").GetProperty("type").GetString());
        Assert.Empty(State.Ledger);
    }
}
