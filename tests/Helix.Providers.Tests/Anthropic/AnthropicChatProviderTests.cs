using System.Text.Json.Nodes;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Anthropic;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Helix.Providers.Tests.ProviderCalls;

namespace Helix.Providers.Tests.Anthropic;

public sealed class AnthropicChatProviderTests
{
    private const string Key = "sk-ant-test-SECRET";
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static AnthropicChatProvider Provider(LoopbackUpstream upstream, HttpClient http, string? key = Key) =>
        new(http, new ProviderEndpoint(new Uri(upstream.BaseUrl, "anthropic/v1"), key), new FakeTimeProvider(s_now));

    private static JsonObject Sent(LoopbackUpstream upstream) => JsonNode.Parse(Assert.Single(upstream.Received).Body)!.AsObject();

    [Fact]
    public async Task CompleteAsync_RecordedMessage_TranslatesToAChatCompletionWithAnthropicUsage()
    {
        var recorded = Recorded.Bytes("anthropic", "message.json");
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(recorded));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("anthropic", "claude-opus-4-5", Chat()), Ct);

        Assert.Equal(AnthropicUsage.ParseMessage(recorded), result.Value!.Usage);
        var body = ProviderCalls.Json(result.Value.Body);
        Assert.Equal("msg_01RecAnthropic001", (string?)body["id"]);
        Assert.Equal("chat.completion", (string?)body["object"]);
        Assert.Equal(s_now.ToUnixTimeSeconds(), (long?)body["created"]);
        Assert.Equal("claude-opus-4-5-20251101", (string?)body["model"]);
        Assert.Equal("Here is the policy summary.", (string?)body["choices"]![0]!["message"]!["content"]);
        Assert.Equal("stop", (string?)body["choices"]![0]!["finish_reason"]);
        Assert.Equal(50500, (long?)body["usage"]!["prompt_tokens"]);
        Assert.Equal(1000, (long?)body["usage"]!["completion_tokens"]);
        Assert.Equal(30000, (long?)body["usage"]!["prompt_tokens_details"]!["cached_tokens"]);
        var sent = Assert.Single(upstream.Received);
        Assert.Equal("/anthropic/v1/messages", sent.PathAndQuery);
        Assert.Equal(Key, sent.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
    }

    [Fact]
    public async Task CompleteAsync_Request_IsTranslatedToTheMessagesApi()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("anthropic", "message-tool-use.json")));
        using var http = new HttpClient();
        var request = JsonNode.Parse("""
            {"model":"op:agent","temperature":0.1,"top_p":0.8,"max_tokens":512,"stop":["END",1],"user":"u-7","seed":3,
             "parallel_tool_calls":false,"tool_choice":"required",
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
                      {"type":"function","function":{"name":"now"}}],
             "messages":[
               {"role":"system","content":[{"type":"text","text":"<long policy>","cache_control":{"type":"ephemeral","ttl":"1h"}}]},
               {"role":"developer","content":"Be brief."},
               {"role":"user","content":[{"type":"text","text":"Weather?","cache_control":{"type":"ephemeral"}},
                                         {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
                                         {"type":"image_url","image_url":"https://example.com/a.png"},
                                         {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0="}}]},
               {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                                                                    {"id":"toolu_2","type":"function","function":{"name":"now","arguments":""}}]},
               {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
               {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"14:05"}]}]}
            """)!.AsObject();
        var before = request.ToJsonString();

        var result = await Provider(upstream, http, key: null).CompleteAsync(Call("anthropic", "claude-sonnet-4-5", request), Ct);

        var expected = JsonNode.Parse("""
            {"model":"claude-sonnet-4-5","max_tokens":512,
             "messages":[
               {"role":"user","content":[{"type":"text","text":"Weather?","cache_control":{"type":"ephemeral"}},
                  {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
                  {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},
                  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]},
               {"role":"assistant","content":[{"type":"text","text":"Checking."},
                  {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                  {"type":"tool_use","id":"toolu_2","name":"now","input":{}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},{"type":"tool_result","tool_use_id":"toolu_2","content":"14:05"}]}],
             "system":[{"type":"text","text":"<long policy>","cache_control":{"type":"ephemeral","ttl":"1h"}},{"type":"text","text":"Be brief."}],
             "temperature":0.1,"top_p":0.8,"stop_sequences":["END"],"metadata":{"user_id":"u-7"},
             "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
                      {"name":"now","input_schema":{"type":"object"}}],
             "tool_choice":{"type":"any","disable_parallel_tool_use":true}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, Sent(upstream)), Sent(upstream).ToJsonString());
        Assert.False(upstream.Received[0].Headers.ContainsKey("x-api-key"));
        Assert.Equal(before, request.ToJsonString());
        var message = ProviderCalls.Json(result.Value!.Body)["choices"]![0]!["message"]!;
        Assert.Equal("Let me check.", (string?)message["content"]);
        Assert.Equal("The user wants the weather.", (string?)message["reasoning_content"]);
        Assert.Equal("toolu_01Rec", (string?)message["tool_calls"]![0]!["id"]);
        Assert.Equal("""{"city":"Paris"}""", (string?)message["tool_calls"]![0]!["function"]!["arguments"]);
        Assert.Equal("tool_calls", (string?)ProviderCalls.Json(result.Value.Body)["choices"]![0]!["finish_reason"]);
        Assert.Equal(new UsageMeters { InputTokens = 420, CacheReadTokens = 1000, OutputTokens = 85 }, result.Value.Usage.Meters);
    }

    [Fact]
    public async Task CompleteAsync_NoMaxTokens_UsesTheModelsDefaultCap()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("anthropic", "message.json")));
        using var http = new HttpClient();
        var request = Chat();
        request["max_completion_tokens"] = 64;
        request["max_tokens"] = 9;

        await Provider(upstream, http).CompleteAsync(Call("anthropic", "claude-opus-4-5", Chat()), Ct);
        await using var second = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("anthropic", "message.json")));
        await Provider(second, http).CompleteAsync(Call("anthropic", "claude-opus-4-5", request), Ct);

        Assert.Equal(8192, (int?)Sent(upstream)["max_tokens"]);
        Assert.Equal(64, (int?)Sent(second)["max_tokens"]);
    }

    [Theory]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("""{"type":"function","function":{"name":"f"}}""", """{"type":"tool","name":"f"}""")]
    public async Task CompleteAsync_ToolChoice_MapsToAnthropicsChoice(string choice, string expected)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("anthropic", "message.json")));
        using var http = new HttpClient();
        var request = Chat();
        request["tool_choice"] = JsonNode.Parse(choice);

        await Provider(upstream, http).CompleteAsync(Call("anthropic", "claude-opus-4-5", request), Ct);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), Sent(upstream)["tool_choice"]));
    }

    [Fact]
    public async Task CompleteAsync_NoParallelToolCallsWithoutChoice_IsAutoWithoutParallelUse()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("anthropic", "message.json")));
        using var http = new HttpClient();
        var request = Chat();
        request["parallel_tool_calls"] = false;
        request["stop"] = "STOP";

        await Provider(upstream, http).CompleteAsync(Call("anthropic", "claude-opus-4-5", request), Ct);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"auto","disable_parallel_tool_use":true}"""), Sent(upstream)["tool_choice"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["STOP"]"""), Sent(upstream)["stop_sequences"]));
    }

    public static TheoryData<string, string> Untranslatable => new()
    {
        { """{"messages":[]}""", "no messages" },
        { """{"messages":[{"content":"x"}]}""", "role" },
        { """{"messages":[{"role":"function","content":"x"}]}""", "role 'function'" },
        { """{"messages":[{"role":"system","content":7}]}""", "text content" },
        { """{"messages":[{"role":"system","content":[{"type":"image_url"}]}]}""", "only hold text" },
        { """{"messages":[{"role":"user","content":7}]}""", "string or an array" },
        { """{"messages":[{"role":"user","content":[1]}]}""", "must be an object" },
        { """{"messages":[{"role":"user","content":[{"type":"text"}]}]}""", "needs text" },
        { """{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}""", "type 'input_audio'" },
        { """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:;base64,AAAA"}}]}]}""", "media type" },
        { """{"messages":[{"role":"assistant","tool_calls":[{"function":{"name":"f"}}]}]}""", "id and a function name" },
        { """{"messages":[{"role":"tool","content":"x"}]}""", "tool_call_id" },
        { """{"messages":[{"role":"tool","tool_call_id":"t","content":1}]}""", "text content" },
    };

    [Theory]
    [MemberData(nameof(Untranslatable))]
    public async Task CompleteAsync_UntranslatableRequest_IsAnInvalidRequestWithoutACall(string request, string reason)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("{}"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("anthropic", "claude", JsonNode.Parse(request)!.AsObject()), Ct);
        var streamed = await Provider(upstream, http).StreamAsync(Call("anthropic", "claude", JsonNode.Parse(request)!.AsObject()), Ct);

        Assert.Equal(ProviderErrorKind.InvalidRequest, result.Error!.Kind);
        Assert.Contains(reason, result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ProviderErrorKind.InvalidRequest, streamed.Error!.Kind);
        Assert.Empty(upstream.Received);
    }

    [Theory]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("refusal", "content_filter")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("pause_turn", "stop")]
    public async Task CompleteAsync_StopReason_IsMapped(string stopReason, string expected)
    {
        var body = $$$"""{"id":"m","type":"message","content":[],"stop_reason":"{{{stopReason}}}","usage":{"input_tokens":1,"output_tokens":1}}""";
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("anthropic", "claude", Chat()), Ct);

        var choice = ProviderCalls.Json(result.Value!.Body)["choices"]![0]!;
        Assert.Equal(expected, (string?)choice["finish_reason"]);
        Assert.Null(choice["message"]!["content"]);
        Assert.Equal("claude", (string?)ProviderCalls.Json(result.Value.Body)["model"]);
    }

    [Fact]
    public async Task CompleteAsync_MessageWithoutIdUsageOrStopReason_IsStillTranslated()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("""{"type":"message","content":[{"type":"tool_use","name":"f"}]}"""));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("anthropic", "claude", Chat()), Ct);

        var body = ProviderCalls.Json(result.Value!.Body);
        Assert.StartsWith("chatcmpl-", (string?)body["id"], StringComparison.Ordinal);
        Assert.Equal("stop", (string?)body["choices"]![0]!["finish_reason"]);
        Assert.Equal("{}", (string?)body["choices"]![0]!["message"]!["tool_calls"]![0]!["function"]!["arguments"]);
        Assert.False(body.AsObject().ContainsKey("usage"));
        Assert.False(result.Value.Usage.IsKnown);
    }

    public static TheoryData<int, string, ProviderErrorKind> StatusCases => new()
    {
        { 400, """{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long"},"request_id":"req_1"}""", ProviderErrorKind.InvalidRequest },
        { 402, """{"type":"error","error":{"type":"billing_error","message":"credit balance too low"}}""", ProviderErrorKind.QuotaExhausted },
        { 403, """{"type":"error","error":{"type":"permission_error","message":"no access"}}""", ProviderErrorKind.Unauthorized },
        { 413, """{"type":"error","error":{"type":"request_too_large","message":"too large"}}""", ProviderErrorKind.InvalidRequest },
        { 429, """{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}""", ProviderErrorKind.RateLimited },
        { 529, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", ProviderErrorKind.ServerError },
    };

    [Theory]
    [MemberData(nameof(StatusCases))]
    public async Task CompleteAsync_FailureStatus_MapsToItsKind(int status, string body, ProviderErrorKind kind)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body, status, ("retry-after", "12")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("anthropic", "claude", Chat()), Ct);

        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(status, result.Error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(12), result.Error.RetryAfter);
        Assert.StartsWith("anthropic: ", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"message\"")]
    [InlineData("{\"type\":\"error\"}")]
    public async Task CompleteAsync_UnreadableSuccessBody_IsMalformedResponse(string body)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("anthropic", "claude", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.MalformedResponse, result.Error!.Kind);
    }

    [Fact]
    public async Task StreamAsync_RecordedStream_TranslatesEventsAndEndsWithTheSameUsageAsNonStreamed()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("anthropic", "stream.sse")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("anthropic", "claude-opus-4-5", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.True((bool?)Sent(upstream)["stream"]);
        var json = chunks.Select(ProviderCalls.Json).ToList();
        Assert.Equal([false, false, false, false, true], chunks.Select(c => c.IsUsageOnly));
        Assert.All(json, j => Assert.Equal("msg_01RecAnthropic001", (string?)j["id"]));
        Assert.All(json, j => Assert.Equal("claude-opus-4-5-20251101", (string?)j["model"]));
        Assert.Equal("assistant", (string?)json[0]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal("Here is the ", (string?)json[1]["choices"]![0]!["delta"]!["content"]);
        Assert.Equal("stop", (string?)json[3]["choices"]![0]!["finish_reason"]);
        Assert.Equal(50500, (long?)json[4]["usage"]!["prompt_tokens"]);
        Assert.Null(stream.Error);
        Assert.Equal(AnthropicUsage.ParseMessage(Recorded.Bytes("anthropic", "message.json")), stream.Usage);
        Assert.Equal("Here is the policy summary.", stream.StreamedText);
    }

    [Fact]
    public async Task StreamAsync_ThinkingAndToolUse_BecomeReasoningAndToolCallDeltas()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("anthropic", "stream-tool-use.sse")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("anthropic", "claude-sonnet-4-5", Chat()), Ct);
        await using var stream = result.Value!;
        var json = (await DrainAsync(stream, Ct)).Select(ProviderCalls.Json).ToList();

        Assert.Equal(7, json.Count);
        Assert.Equal("The user wants the weather.", (string?)json[1]["choices"]![0]!["delta"]!["reasoning_content"]);
        var start = json[2]["choices"]![0]!["delta"]!["tool_calls"]![0]!;
        Assert.Equal(0, (int?)start["index"]);
        Assert.Equal("toolu_01Rec7", (string?)start["id"]);
        Assert.Equal("get_weather", (string?)start["function"]!["name"]);
        Assert.Equal("{\"city\": ", (string?)json[3]["choices"]![0]!["delta"]!["tool_calls"]![0]!["function"]!["arguments"]);
        Assert.Equal("tool_calls", (string?)json[5]["choices"]![0]!["finish_reason"]);
        Assert.Equal(new UsageMeters { InputTokens = 420, CacheReadTokens = 1000, OutputTokens = 85 }, stream.Usage.Meters);
        Assert.Equal("The user wants the weather.{\"city\": \"Paris\"}", stream.StreamedText);
    }

    [Fact]
    public async Task StreamAsync_EventsWithoutNamesAndOddDeltas_AreReadFromTheirType()
    {
        const string transcript = """
            data:  

            data: {"type":"message_start","message":{"usage":{"input_tokens":5,"output_tokens":1}}}

            data: {"type":"content_block_start","index":0}

            data: {"type":"content_block_delta","index":0}

            data: {"type":"content_block_delta","index":4,"delta":{"type":"input_json_delta","partial_json":"{}"}}

            data: {"type":"content_block_delta","index":0,"delta":{"type":"citations_delta"}}

            data: {"type":"content_block_delta","delta":{"type":"text_delta","text":"hi"}}

            data: {"type":"ping"}

            data: {"type":"message_delta","delta":{},"usage":{"output_tokens":2}}

            data: {"type":"message_stop"}

            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript + "\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("anthropic", "claude", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Equal(3, chunks.Count);
        Assert.StartsWith("chatcmpl-", (string?)ProviderCalls.Json(chunks[0])["id"], StringComparison.Ordinal);
        Assert.Equal("claude", (string?)ProviderCalls.Json(chunks[0])["model"]);
        Assert.Equal(new UsageMeters { InputTokens = 5, OutputTokens = 2 }, stream.Usage.Meters);
        Assert.Equal("hi", stream.StreamedText);
    }

    [Fact]
    public async Task StreamAsync_ErrorEventMidStream_EndsWithTheErrorAndUnknownUsage()
    {
        const string transcript = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_e","model":"claude","usage":{"input_tokens":25,"output_tokens":1}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

            event: error
            data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript + "\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("anthropic", "claude", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Equal(2, chunks.Count);
        Assert.Equal(ProviderErrorKind.ServerError, stream.Error!.Kind);
        Assert.Equal("overloaded_error", stream.Error.ProviderCode);
        Assert.False(stream.Usage.IsKnown);
    }

    [Theory]
    [InlineData("rate_limit_error", ProviderErrorKind.RateLimited)]
    [InlineData("billing_error", ProviderErrorKind.QuotaExhausted)]
    [InlineData("authentication_error", ProviderErrorKind.Unauthorized)]
    [InlineData("permission_error", ProviderErrorKind.Unauthorized)]
    [InlineData("not_found_error", ProviderErrorKind.NotFound)]
    [InlineData("invalid_request_error", ProviderErrorKind.InvalidRequest)]
    [InlineData("request_too_large", ProviderErrorKind.InvalidRequest)]
    [InlineData("timeout_error", ProviderErrorKind.Timeout)]
    [InlineData("api_error", ProviderErrorKind.ServerError)]
    public async Task StreamAsync_ErrorAsFirstEvent_FailsTheCall(string type, ProviderErrorKind kind)
    {
        var transcript = $$$"""event: error{{{"\n"}}}data: {"type":"error","error":{"type":"{{{type}}}","message":"m"}}{{{"\n\n"}}}""";
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("anthropic", "claude", Chat()), Ct);

        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal("anthropic: m", result.Error.Message);
    }

    [Fact]
    public async Task StreamAsync_TornOrMalformed_EndsWithAnError()
    {
        await using var torn = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("anthropic", "stream-cut.sse"), abortAfter: true));
        await using var ended = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("anthropic", "stream-cut.sse")));
        await using var malformed = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse("event: message_start\ndata: {not json\n\n"));
        using var http = new HttpClient();

        var tornResult = await Provider(torn, http).StreamAsync(Call("anthropic", "claude", Chat()), Ct);
        await using var tornStream = tornResult.Value!;
        await DrainAsync(tornStream, Ct);
        var endedResult = await Provider(ended, http).StreamAsync(Call("anthropic", "claude", Chat()), Ct);
        await using var endedStream = endedResult.Value!;
        await DrainAsync(endedStream, Ct);
        var malformedResult = await Provider(malformed, http).StreamAsync(Call("anthropic", "claude", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.Network, tornStream.Error!.Kind);
        Assert.False(tornStream.Usage.IsKnown);
        Assert.Equal("Hel", tornStream.StreamedText);
        Assert.Equal(ProviderErrorKind.Network, endedStream.Error!.Kind);
        Assert.Equal(ProviderErrorKind.MalformedResponse, malformedResult.Error!.Kind);
    }

    [Fact]
    public async Task StreamAsync_FailureStatus_FailsTheCall()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(
            """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", 529));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("anthropic", "claude", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.ServerError, result.Error!.Kind);
        Assert.Equal(529, result.Error.StatusCode);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        using var http = new HttpClient();

        Assert.Throws<ArgumentNullException>(() => new AnthropicChatProvider(null!, new ProviderEndpoint(new Uri("https://a"), null)));
        Assert.Throws<ArgumentNullException>(() => new AnthropicChatProvider(http, null!));
    }

}
