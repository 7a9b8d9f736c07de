using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.OpenAI;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Helix.Providers.Tests.ProviderCalls;

namespace Helix.Providers.Tests.OpenAI;

public sealed class OpenAICompatibleChatProviderTests
{
    private const string Key = "sk-test-SECRET-0123456789";

    private static OpenAICompatibleChatProvider Provider(LoopbackUpstream upstream, HttpClient http, string? key = Key, string path = "openai/v1", TimeProvider? time = null) =>
        new("openai", http, new ProviderEndpoint(new Uri(upstream.BaseUrl, path), key), time);

    [Fact]
    public async Task CompleteAsync_RecordedBody_ReturnsTheUpstreamBodyAndItsUsage()
    {
        var recorded = Recorded.Bytes("openai", "chat-completion.json");
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(recorded));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(recorded, result.Value.Body.ToArray());
        Assert.Equal(OpenAIUsage.ParseChatCompletion(recorded), result.Value.Usage);
        Assert.Equal(new UsageMeters { InputTokens = 86, CacheReadTokens = 1920, OutputTokens = 300 }, result.Value.Usage.Meters);
        var sent = Assert.Single(upstream.Received);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/openai/v1/chat/completions", sent.PathAndQuery);
        Assert.StartsWith("application/json", sent.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_UnknownFields_ReachTheUpstreamIntactWithOnlyModelReplaced()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("openai", "chat-completion.json")));
        using var http = new HttpClient();
        var request = Chat();
        request["temperature"] = 0.2;
        request["x_vendor_extension"] = new JsonObject { ["nested"] = new JsonArray(1, "two", null, new JsonObject { ["deep"] = true }) };
        request["metadata"] = new JsonObject { ["tenant"] = "acme" };
        request["user"] = null;
        request["stream"] = false;
        request["stream_options"] = new JsonObject { ["include_usage"] = false };
        var before = request.ToJsonString();

        await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", request), Ct);

        var sent = JsonNode.Parse(Assert.Single(upstream.Received).Body)!.AsObject();
        Assert.Equal("gpt-4o-mini", (string?)sent["model"]);
        Assert.Equal(0.2, (double?)sent["temperature"]);
        Assert.True(JsonNode.DeepEquals(request["x_vendor_extension"], sent["x_vendor_extension"]));
        Assert.True(JsonNode.DeepEquals(request["messages"], sent["messages"]));
        Assert.True(JsonNode.DeepEquals(request["metadata"], sent["metadata"]));
        Assert.True(sent.ContainsKey("user"));
        Assert.Null(sent["user"]);
        Assert.False((bool?)sent["stream"]);
        Assert.False(sent.ContainsKey("stream_options"));
        Assert.Equal(before, request.ToJsonString());
        Assert.Equal(["model", "messages", "temperature", "x_vendor_extension", "metadata", "user", "stream"], sent.Select(p => p.Key));
    }

    [Fact]
    public async Task CompleteAsync_RequestWithoutModel_GetsTheProviderModel()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("openai", "chat-completion.json")));
        using var http = new HttpClient();
        var request = new JsonObject { ["messages"] = new JsonArray() };

        await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4.1-nano", request), Ct);

        var sent = JsonNode.Parse(Assert.Single(upstream.Received).Body)!.AsObject();
        Assert.Equal("gpt-4.1-nano", (string?)sent["model"]);
        Assert.False(request.ContainsKey("model"));
    }

    [Fact]
    public async Task CompleteAsync_KeySet_SendsBearerAndRequestId()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("openai", "chat-completion.json")));
        using var http = new HttpClient();

        await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", Chat(), requestId: "req_42"), Ct);

        var sent = Assert.Single(upstream.Received);
        Assert.Equal("Bearer " + Key, sent.Headers["Authorization"]);
        Assert.Equal("req_42", sent.Headers["X-Client-Request-Id"]);
        Assert.Equal("application/json", sent.Headers["Accept"]);
    }

    [Fact]
    public async Task CompleteAsync_NoKey_SendsNoAuthorization()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("deepseek", "chat-completion.json")));
        using var http = new HttpClient();
        var provider = new OpenAICompatibleChatProvider("deepseek", http, new ProviderEndpoint(new Uri(upstream.BaseUrl, "deepseek/"), null));

        var result = await provider.CompleteAsync(Call("deepseek", "deepseek-v4-flash", Chat(), requestId: null), Ct);

        var sent = Assert.Single(upstream.Received);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.False(sent.Headers.ContainsKey("X-Client-Request-Id"));
        Assert.Equal("/deepseek/chat/completions", sent.PathAndQuery);
        Assert.Equal("deepseek", provider.Name);
        Assert.Equal(new UsageMeters { InputTokens = 2000, CacheReadTokens = 8000, OutputTokens = 380, ReasoningTokens = 620 }, result.Value!.Usage.Meters);
    }

    [Fact]
    public async Task CompleteAsync_KeepAliveBlankLinesBeforeTheBody_AreTrimmed()
    {
        var recorded = Recorded.Bytes("deepseek", "chat-completion.json");
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json([.. "\n\n\r\n"u8.ToArray(), .. recorded]));
        using var http = new HttpClient();

        var result = await Provider(upstream, http, path: "deepseek").CompleteAsync(Call("deepseek", "deepseek-v4-flash", Chat()), Ct);

        Assert.Equal(recorded, result.Value!.Body.ToArray());
        Assert.True(result.Value.Usage.IsKnown);
    }

    [Fact]
    public async Task CompleteAsync_BodyWithoutUsage_ReportsUnknownUsage()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("""{"id":"c1","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}]}"""));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("openai", "m", Chat()), Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(UsageReport.Unknown("m", "c1"), result.Value.Usage);
    }

    public static TheoryData<int, string, ProviderErrorKind> StatusCases => new()
    {
        { 429, """{"error":{"message":"Rate limit reached for gpt-4o-mini.","type":"requests","param":null,"code":"rate_limit_exceeded"}}""", ProviderErrorKind.RateLimited },
        { 429, """{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""", ProviderErrorKind.QuotaExhausted },
        { 402, """{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}""", ProviderErrorKind.QuotaExhausted },
        { 403, """{"error":{"message":"Country, region, or territory not supported","type":"request_forbidden","code":"unsupported_country_region_territory"}}""", ProviderErrorKind.Unauthorized },
        { 400, """{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","code":"context_length_exceeded"}}""", ProviderErrorKind.InvalidRequest },
        { 413, "", ProviderErrorKind.InvalidRequest },
        { 422, """{"error":{"message":"Invalid parameters","type":"invalid_request_error","code":null}}""", ProviderErrorKind.InvalidRequest },
        { 502, "<html><body>Bad gateway</body></html>", ProviderErrorKind.ServerError },
        { 503, """{"error":{"message":"Server overloaded","type":"service_unavailable_error","code":503}}""", ProviderErrorKind.ServerError },
        { 529, """{"error":"overloaded"}""", ProviderErrorKind.ServerError },
        { 300, """{"error":null}""", ProviderErrorKind.ServerError },
    };

    [Theory]
    [MemberData(nameof(StatusCases))]
    public async Task CompleteAsync_FailureStatus_MapsToItsKind(int status, string body, ProviderErrorKind kind)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body, status));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error.Kind);
        Assert.Equal(status, result.Error.StatusCode);
        Assert.StartsWith("openai: ", result.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_429WithRetryAfterSeconds_ReturnsTheDelayAndCode()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(
            """{"error":{"message":"Rate limit reached. Please try again in 7s.","type":"tokens","code":"rate_limit_exceeded"}}""", 429, ("retry-after", "7")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.RateLimited, result.Error!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), result.Error.RetryAfter);
        Assert.Equal("rate_limit_exceeded", result.Error.ProviderCode);
        Assert.Equal("openai: Rate limit reached. Please try again in 7s.", result.Error.Message);
        Assert.True(result.Error.IsRetryable);
    }

    [Fact]
    public async Task CompleteAsync_RetryAfterMs_WinsOverRetryAfter()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("{}", 429, ("retry-after", "2"), ("retry-after-ms", "1250.5")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);

        Assert.Equal(TimeSpan.FromMilliseconds(1250.5), result.Error!.RetryAfter);
        Assert.Equal("HTTP 429 Too Many Requests", result.Error.Message["openai: ".Length..]);
    }

    [Fact]
    public async Task CompleteAsync_RetryAfterHttpDate_IsMeasuredOnTheInjectedClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
        var date = time.GetUtcNow().AddSeconds(90).ToString("r", CultureInfo.InvariantCulture);
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("{}", 503, ("retry-after", date)));
        using var http = new HttpClient();

        var result = await Provider(upstream, http, time: time).CompleteAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.ServerError, result.Error!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(90), result.Error.RetryAfter);
    }

    [Theory]
    [InlineData("Wed, 21 Oct 2015 07:28:00 GMT", 0d)]
    [InlineData("soon", null)]
    [InlineData("-5", null)]
    [InlineData("1.5", 1.5d)]
    [InlineData(" ", null)]
    public async Task CompleteAsync_OddRetryAfter_IsReadSafely(string value, double? seconds)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("{}", 429, ("retry-after", value)));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, result.Error!.RetryAfter);
    }

    [Theory]
    [InlineData("{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"x\"")]
    [InlineData("")]
    [InlineData("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}")]
    public async Task CompleteAsync_UnreadableSuccessBody_IsMalformedResponse(string body)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.MalformedResponse, result.Error!.Kind);
        Assert.Equal(200, result.Error.StatusCode);
    }

    [Fact]
    public async Task CompleteAsync_ErrorBodyWithSuccessStatus_IsAnError()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("""{"error":{"message":"Rate limit","type":"rate_limit_error","code":"rate_limit_exceeded"}}"""));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.RateLimited, result.Error!.Kind);
        Assert.Equal(200, result.Error.StatusCode);
    }

    [Fact]
    public async Task CompleteAsync_HttpClientTimeout_IsATimeout()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };

        var result = await Provider(upstream, http).CompleteAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.Timeout, result.Error!.Kind);
        Assert.Contains("0.2 s", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_Request_ForcesStreamAndUsageMergedWithTheCallersOptions()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("openai", "chat-stream.sse")));
        using var http = new HttpClient();
        var request = Chat();
        request["stream"] = true;
        request["stream_options"] = new JsonObject { ["include_usage"] = false, ["include_obfuscation"] = false };
        request["x_custom"] = "kept";
        var before = request.ToJsonString();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "gpt-4o-mini", request), Ct);
        await using var stream = result.Value!;
        await DrainAsync(stream, Ct);

        var sent = Assert.Single(upstream.Received);
        var body = JsonNode.Parse(sent.Body)!.AsObject();
        Assert.True((bool?)body["stream"]);
        Assert.True((bool?)body["stream_options"]!["include_usage"]);
        Assert.False((bool?)body["stream_options"]!["include_obfuscation"]);
        Assert.Equal("kept", (string?)body["x_custom"]);
        Assert.Equal("gpt-4o-mini", (string?)body["model"]);
        Assert.Equal("text/event-stream", sent.Headers["Accept"]);
        Assert.Equal(before, request.ToJsonString());
    }

    [Fact]
    public async Task StreamAsync_CallerAskedNoStream_StreamAndUsageAreAdded()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("openai", "chat-stream.sse")));
        using var http = new HttpClient();
        var request = Chat();
        request["stream_options"] = "garbage";

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);
        await using var stream = result.Value!;

        var body = JsonNode.Parse(Assert.Single(upstream.Received).Body)!.AsObject();
        Assert.True((bool?)body["stream"]);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["include_usage"] = true }, body["stream_options"]));

        var second = await Provider(upstream, http).StreamAsync(Call("openai", "gpt-4o-mini", request), Ct);
        await using var secondStream = second.Value!;
        var secondBody = JsonNode.Parse(upstream.Received[1].Body)!.AsObject();
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["include_usage"] = true }, secondBody["stream_options"]));
    }

    [Fact]
    public async Task StreamAsync_RecordedStream_YieldsEveryChunkAsSentAndTheSameUsageAsNonStreamed()
    {
        var transcript = Recorded.Text("openai", "chat-stream.sse");
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript + "\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        var expected = transcript.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).ToList();
        Assert.Equal(expected, chunks.Select(Text));
        Assert.Equal([false, false, false, false, true], chunks.Select(c => c.IsUsageOnly));
        Assert.Null(stream.Error);
        Assert.Equal(OpenAIUsage.ParseChatCompletion(Recorded.Bytes("openai", "chat-completion.json")), stream.Usage);
        Assert.Equal("The quarter closed 4% above plan.", stream.StreamedText);
    }

    [Fact]
    public async Task StreamAsync_DeepSeekKeepAliveComments_AreSkippedAndReasoningIsStreamedText()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("deepseek", "chat-stream.sse")));
        using var http = new HttpClient();
        var provider = new OpenAICompatibleChatProvider("deepseek", http, new ProviderEndpoint(new Uri(upstream.BaseUrl, "deepseek"), "ds-key"));

        var result = await provider.StreamAsync(Call("deepseek", "deepseek-v4-flash", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Equal(4, chunks.Count);
        Assert.True(chunks[^1].IsUsageOnly);
        Assert.Null(stream.Error);
        Assert.Equal(OpenAIUsage.ParseChatCompletion(Recorded.Bytes("deepseek", "chat-completion.json")), stream.Usage);
        Assert.Equal("The user asks for the capital of France.Paris.", stream.StreamedText);
    }

    [Fact]
    public async Task StreamAsync_ConnectionTornBeforeUsage_EndsWithANetworkErrorAndUnknownUsage()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("openai", "chat-stream-cut.sse"), abortAfter: true));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Equal(2, chunks.Count);
        Assert.Equal(ProviderErrorKind.Network, stream.Error!.Kind);
        Assert.False(stream.Usage.IsKnown);
        Assert.Equal("chatcmpl-rec004", stream.Usage.ProviderRequestId);
        Assert.Equal("Once upon a time", stream.StreamedText);
    }

    [Fact]
    public async Task StreamAsync_ToolCallDeltas_AreStreamedTextAndOddEntriesAreSkipped()
    {
        const string transcript = """
            data:  

            data: {"id":"c8","model":"m","choices":[7,{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}

            data: {"id":"c8","model":"m","choices":[{"index":0,"delta":{"tool_calls":["odd",{"index":0,"function":"odd"},{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}],"error":null}

            data: {"id":"c8","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":null}]}

            data: {"id":"c8","model":"m","choices":[{"index":0,"delta":{"refusal":"","tool_calls":null},"finish_reason":"tool_calls"}]}

            data: {"id":"c8","model":"m","choices":[],"usage":{"prompt_tokens":30,"completion_tokens":12}}

            data: [DONE]

            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Equal(5, chunks.Count);
        Assert.Equal("{\"city\":\"Paris\"}", stream.StreamedText);
        Assert.Equal(new UsageMeters { InputTokens = 30, OutputTokens = 12 }, stream.Usage.Meters);
        Assert.Null(stream.Error);
    }

    [Fact]
    public async Task StreamAsync_BodyEndsBeforeFinishAndDone_IsABrokenStream()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("openai", "chat-stream-cut.sse")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "gpt-4o-mini", Chat()), Ct);
        await using var stream = result.Value!;
        await DrainAsync(stream, Ct);

        Assert.Equal(ProviderErrorKind.Network, stream.Error!.Kind);
        Assert.False(stream.Usage.IsKnown);
    }

    [Fact]
    public async Task StreamAsync_FinishedWithoutUsageOrDone_EndsCleanlyWithUnknownUsage()
    {
        const string transcript = """
            data: {"id":"c2","model":"m","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":null}]}

            data: {"id":"c2","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript + "\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Equal(2, chunks.Count);
        Assert.Null(stream.Error);
        Assert.Equal(UsageReport.Unknown("m", "c2"), stream.Usage);
    }

    [Fact]
    public async Task StreamAsync_ErrorEventMidStream_EndsWithTheErrorAfterEarlierChunks()
    {
        const string transcript = """
            data: {"id":"c3","model":"m","choices":[{"index":0,"delta":{"content":"par"},"finish_reason":null}]}

            data: {"error":{"message":"The server had an error while processing your request.","type":"server_error","code":null}}

            data: {"id":"c3","model":"m","choices":[{"index":0,"delta":{"content":"never"},"finish_reason":null}]}

            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript + "\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Single(chunks);
        Assert.Equal(ProviderErrorKind.ServerError, stream.Error!.Kind);
        Assert.Equal("openai: The server had an error while processing your request.", stream.Error.Message);
        Assert.False(stream.Usage.IsKnown);
        Assert.Equal("par", stream.StreamedText);
    }

    [Theory]
    [InlineData("""{"error":{"message":"Rate limit","code":"rate_limit_exceeded"}}""", ProviderErrorKind.RateLimited)]
    [InlineData("""{"error":{"message":"quota","code":"insufficient_quota"}}""", ProviderErrorKind.QuotaExhausted)]
    [InlineData("""{"error":{"message":"bad key","code":"invalid_api_key"}}""", ProviderErrorKind.Unauthorized)]
    [InlineData("""{"error":{"message":"no model","code":"model_not_found"}}""", ProviderErrorKind.NotFound)]
    [InlineData("""{"error":{"message":"too long","type":"invalid_request_error"}}""", ProviderErrorKind.InvalidRequest)]
    [InlineData("""{"error":"boom"}""", ProviderErrorKind.ServerError)]
    [InlineData("""{"error":{}}""", ProviderErrorKind.ServerError)]
    public async Task StreamAsync_ErrorAsFirstEvent_FailsTheCallSoItCanFallBack(string errorEvent, ProviderErrorKind kind)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse($": keep-alive\n\ndata: {errorEvent}\n\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error.Kind);
        Assert.Null(result.Error.StatusCode);
    }

    [Fact]
    public async Task StreamAsync_MalformedEvent_EndsWithMalformedResponse()
    {
        const string transcript = """
            data: {"id":"c4","model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}

            data: {"id":"c4", this is not json

            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript + "\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Single(chunks);
        Assert.Equal(ProviderErrorKind.MalformedResponse, stream.Error!.Kind);
    }

    [Fact]
    public async Task StreamAsync_TornBeforeTheFirstChunk_FailsTheCall()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(": keep-alive\n\ndata: {\"id\":\"c5\",\"choi", abortAfter: true));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.Network, result.Error!.Kind);
    }

    [Fact]
    public async Task StreamAsync_OnlyDone_IsAnEmptySuccessfulStream()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse("data: [DONE]\n\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);
        await using var stream = result.Value!;

        Assert.Empty(await DrainAsync(stream, Ct));
        Assert.Null(stream.Error);
        Assert.False(stream.Usage.IsKnown);
    }

    [Fact]
    public async Task StreamAsync_429_FailsWithTheDelay()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(
            """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""", 429, ("retry-after", "3")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.RateLimited, result.Error!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Error.RetryAfter);
        Assert.Equal(429, result.Error.StatusCode);
    }

    [Theory]
    [InlineData("""{"error":{"message":"Insufficient Balance","code":"insufficient_balance"}}""", ProviderErrorKind.QuotaExhausted)]
    [InlineData("""{"id":"c","choices":[]}""", ProviderErrorKind.MalformedResponse)]
    [InlineData("not json", ProviderErrorKind.MalformedResponse)]
    public async Task StreamAsync_JsonAnswerToAStreamRequest_IsAnError(string body, ProviderErrorKind kind)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);

        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(200, result.Error.StatusCode);
    }

    [Fact]
    public async Task StreamAsync_CancelledBeforeTheFirstChunk_Throws()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(": keep-alive\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
        });
        using var http = new HttpClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), cts.Token));
    }

    [Fact]
    public async Task ReadAsync_CancelledMidStream_ThrowsAndIsNotAnError()
    {
        var release = new TaskCompletionSource();
        await using var upstream = await LoopbackUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("""data: {"id":"c6","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}""" + "\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await release.Task.WaitAsync(context.RequestAborted);
        });
        using var http = new HttpClient();
        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);
        await using var stream = result.Value!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var read = new List<StreamChunk>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in stream.ReadAsync(cts.Token))
            {
                read.Add(chunk);
                await cts.CancelAsync();
            }
        });

        Assert.Single(read);
        Assert.Null(stream.Error);
        Assert.False(stream.Usage.IsKnown);
        release.SetResult();
    }

    [Fact]
    public async Task ReadAsync_TheTokenThatOpenedTheStreamIsCancelledLater_TheStreamGoesOn()
    {
        var release = new TaskCompletionSource();
        await using var upstream = await LoopbackUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("""data: {"id":"c7","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}""" + "\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await release.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync(Recorded.Text("openai", "chat-stream.sse"), context.RequestAborted);
        });
        using var http = new HttpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), attempt.Token);
        await using var stream = result.Value!;

        await attempt.CancelAsync();
        attempt.Dispose();
        release.SetResult();
        var chunks = await DrainAsync(stream, Ct);

        Assert.Equal(6, chunks.Count);
        Assert.True(stream.Usage.IsKnown);
        Assert.Null(stream.Error);
    }

    [Fact]
    public async Task DisposeAsync_BeforeReading_ReleasesTheConnection()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("openai", "chat-stream.sse")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("openai", "m", Chat()), Ct);
        var stream = result.Value!;
        await stream.DisposeAsync();
        await stream.DisposeAsync();

        Assert.Null(stream.Error);
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        using var http = new HttpClient();
        var endpoint = new ProviderEndpoint(new Uri("https://api.openai.com/v1"), null);

        Assert.Throws<ArgumentException>(() => new OpenAICompatibleChatProvider("", http, endpoint));
        Assert.Throws<ArgumentNullException>(() => new OpenAICompatibleChatProvider("openai", null!, endpoint));
        Assert.Throws<ArgumentNullException>(() => new OpenAICompatibleChatProvider("openai", http, null!));
    }

}
