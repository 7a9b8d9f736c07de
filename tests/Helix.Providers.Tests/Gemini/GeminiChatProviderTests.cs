using System.Text.Json.Nodes;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Gemini;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Helix.Providers.Tests.ProviderCalls;

namespace Helix.Providers.Tests.Gemini;

public sealed class GeminiChatProviderTests
{
    private const string Key = "AIza-test-SECRET-key";
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static GeminiChatProvider Provider(LoopbackUpstream upstream, HttpClient http, string? key = Key) =>
        new(http, new ProviderEndpoint(new Uri(upstream.BaseUrl, "gemini/v1beta"), key), new FakeTimeProvider(s_now));

    private static JsonObject Sent(LoopbackUpstream upstream, int index = 0) => JsonNode.Parse(upstream.Received[index].Body)!.AsObject();

    [Fact]
    public async Task CompleteAsync_RecordedResponse_TranslatesToAChatCompletionWithGeminiUsage()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "generate-content.json")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(GeminiUsage.ParseGenerateContent(Recorded.Bytes("gemini", "generate-content.json")), result.Value.Usage);
        var body = ProviderCalls.Json(result.Value.Body);
        Assert.Equal("rec-gem-001", (string?)body["id"]);
        Assert.Equal("chat.completion", (string?)body["object"]);
        Assert.Equal(s_now.ToUnixTimeSeconds(), (long?)body["created"]);
        Assert.Equal("gemini-2.5-flash", (string?)body["model"]);
        var choice = body["choices"]![0]!;
        Assert.Equal(0, (int?)choice["index"]);
        Assert.Equal("assistant", (string?)choice["message"]!["role"]);
        Assert.Equal("The caller asked to move the meeting to Friday.", (string?)choice["message"]!["content"]);
        Assert.Equal("Thinking about the call summary.", (string?)choice["message"]!["reasoning_content"]);
        Assert.Equal("stop", (string?)choice["finish_reason"]);
        var usage = body["usage"]!;
        Assert.Equal(11930, (long?)usage["prompt_tokens"]);
        Assert.Equal(840, (long?)usage["completion_tokens"]);
        Assert.Equal(12770, (long?)usage["total_tokens"]);
        Assert.Equal(10000, (long?)usage["prompt_tokens_details"]!["cached_tokens"]);
        Assert.Equal(640, (long?)usage["completion_tokens_details"]!["reasoning_tokens"]);
    }

    [Fact]
    public async Task CompleteAsync_Request_IsTranslatedToGenerateContentWithTheKeyHeader()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "generate-content.json")));
        using var http = new HttpClient();
        var request = JsonNode.Parse("""
            {"model":"op:chat","temperature":0.3,"top_p":0.9,"max_tokens":256,"stop":"END","seed":7,"n":1,
             "presence_penalty":0.5,"frequency_penalty":0.25,"response_format":{"type":"json_object"},"user":"u1","x_unknown":1,
             "messages":[
               {"role":"system","content":"You are terse."},
               {"role":"developer","content":[{"type":"text","text":"Answer in JSON."}]},
               {"role":"user","content":[{"type":"text","text":"What is in this image?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
               {"role":"assistant","content":"A cat."},
               {"role":"user","content":"And this?"}]}
            """)!.AsObject();
        var before = request.ToJsonString();

        await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", request), Ct);

        var received = Assert.Single(upstream.Received);
        Assert.Equal("/gemini/v1beta/models/gemini-2.5-flash:generateContent", received.PathAndQuery);
        Assert.Equal(Key, received.Headers["x-goog-api-key"]);
        Assert.False(received.Headers.ContainsKey("Authorization"));
        var expected = JsonNode.Parse("""
            {"contents":[
               {"role":"user","parts":[{"text":"What is in this image?"},{"inline_data":{"mime_type":"image/png","data":"iVBORw0KGgo="}}]},
               {"role":"model","parts":[{"text":"A cat."}]},
               {"role":"user","parts":[{"text":"And this?"}]}],
             "systemInstruction":{"parts":[{"text":"You are terse."},{"text":"Answer in JSON."}]},
             "generationConfig":{"temperature":0.3,"topP":0.9,"candidateCount":1,"seed":7,"presencePenalty":0.5,"frequencyPenalty":0.25,
               "maxOutputTokens":256,"stopSequences":["END"],"responseMimeType":"application/json"}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, Sent(upstream)), Sent(upstream).ToJsonString());
        Assert.Equal(before, request.ToJsonString());
    }

    [Fact]
    public async Task CompleteAsync_MediaPartsAndSchema_AreTranslated()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "generate-content.json")));
        using var http = new HttpClient();
        var request = JsonNode.Parse("""
            {"max_completion_tokens":100,"max_tokens":5,"stop":["a","b",3],
             "response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"x":{"type":"integer"}}}}},
             "messages":[{"role":"user","content":[
               {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"WAV"}},
               {"type":"image_url","image_url":"https://example.com/photos/cat.JPG"},
               {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}},
               {"type":"image_url","image_url":{"url":"data:;base64,AAAA"}}]}]}
            """)!.AsObject();

        await Provider(upstream, http, key: null).CompleteAsync(Call("gemini", "models/gemini-2.5-pro", request), Ct);

        var received = Assert.Single(upstream.Received);
        Assert.Equal("/gemini/v1beta/models/gemini-2.5-pro:generateContent", received.PathAndQuery);
        Assert.False(received.Headers.ContainsKey("x-goog-api-key"));
        var expected = JsonNode.Parse("""
            {"contents":[{"role":"user","parts":[
               {"inline_data":{"mime_type":"audio/wav","data":"UklGRg=="}},
               {"file_data":{"mime_type":"image/jpeg","file_uri":"https://example.com/photos/cat.JPG"}},
               {"inline_data":{"mime_type":"application/pdf","data":"JVBERi0="}},
               {"inline_data":{"mime_type":"application/octet-stream","data":"AAAA"}}]}],
             "generationConfig":{"maxOutputTokens":100,"stopSequences":["a","b"],"responseMimeType":"application/json",
               "responseJsonSchema":{"type":"object","properties":{"x":{"type":"integer"}}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, Sent(upstream)), Sent(upstream).ToJsonString());
    }

    [Fact]
    public async Task CompleteAsync_ToolsAndToolTurns_AreTranslatedToFunctionCallingAndBack()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "generate-content-tool-call.json")));
        using var http = new HttpClient();
        var request = JsonNode.Parse("""
            {"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather by city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                      {"type":"function","function":{"name":"get_time"}}],
             "tool_choice":{"type":"function","function":{"name":"get_weather"}},
             "messages":[
               {"role":"user","content":"Weather and time in Paris?"},
               {"role":"assistant","content":null,"tool_calls":[
                  {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"},"extra_content":{"google":{"thought_signature":"c2ln"}}},
                  {"id":"call_2","type":"function","function":{"name":"get_time","arguments":""}}]},
               {"role":"tool","tool_call_id":"call_1","content":"18C and sunny"},
               {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"14:05"}]},
               {"role":"user","content":"Thanks"}]}
            """)!.AsObject();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", request), Ct);

        var expected = JsonNode.Parse("""
            {"contents":[
               {"role":"user","parts":[{"text":"Weather and time in Paris?"}]},
               {"role":"model","parts":[
                  {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"c2ln"},
                  {"functionCall":{"name":"get_time","args":{}}}]},
               {"role":"user","parts":[
                  {"functionResponse":{"name":"get_weather","response":{"content":"18C and sunny"}}},
                  {"functionResponse":{"name":"get_time","response":{"content":"14:05"}}}]},
               {"role":"user","parts":[{"text":"Thanks"}]}],
             "tools":[{"functionDeclarations":[
                {"name":"get_weather","description":"Weather by city","parametersJsonSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
                {"name":"get_time"}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_weather"]}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, Sent(upstream)), Sent(upstream).ToJsonString());
        var choice = ProviderCalls.Json(result.Value!.Body)["choices"]![0]!;
        Assert.Equal("tool_calls", (string?)choice["finish_reason"]);
        Assert.Null(choice["message"]!["content"]);
        var call = choice["message"]!["tool_calls"]![0]!;
        Assert.StartsWith("call_", (string?)call["id"], StringComparison.Ordinal);
        Assert.Equal("function", (string?)call["type"]);
        Assert.Equal("get_weather", (string?)call["function"]!["name"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Paris","unit":"celsius"}"""), JsonNode.Parse((string)call["function"]!["arguments"]!)));
        Assert.Equal("c2lnLXJlYy0wMDU=", (string?)call["extra_content"]!["google"]!["thought_signature"]);
    }

    [Theory]
    [InlineData("\"none\"", "NONE")]
    [InlineData("\"auto\"", "AUTO")]
    [InlineData("\"required\"", "ANY")]
    public async Task CompleteAsync_ToolChoice_MapsToAMode(string choice, string mode)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "generate-content.json")));
        using var http = new HttpClient();
        var request = Chat();
        request["tool_choice"] = JsonNode.Parse(choice);

        await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", request), Ct);

        Assert.Equal(mode, (string?)Sent(upstream)["toolConfig"]!["functionCallingConfig"]!["mode"]);
    }

    public static TheoryData<string, string> Untranslatable => new()
    {
        { """{"messages":[]}""", "no messages" },
        { """{"messages":"hi"}""", "no messages" },
        { """{"messages":[{"content":"x"}]}""", "role" },
        { """{"messages":[{"role":"function","content":"x"}]}""", "role 'function'" },
        { """{"messages":[{"role":"user","content":42}]}""", "string or an array" },
        { """{"messages":[{"role":"user","content":["x"]}]}""", "must be an object" },
        { """{"messages":[{"role":"user","content":[{"type":"text"}]}]}""", "needs text" },
        { """{"messages":[{"role":"user","content":[{"type":"refusal","refusal":"no"}]}]}""", "type 'refusal'" },
        { """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/image"}}]}]}""", "media type" },
        { """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,raw"}}]}]}""", "base64" },
        { """{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA=="}}]}]}""", "data and format" },
        { """{"messages":[{"role":"system","content":[{"type":"image_url"}]}]}""", "only hold text" },
        { """{"messages":[{"role":"system","content":null}]}""", "text content" },
        { """{"messages":[{"role":"assistant","tool_calls":{}}]}""", "must be an array" },
        { """{"messages":[{"role":"assistant","tool_calls":[{"id":"c"}]}]}""", "function name" },
        { """{"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":"{oops"}}]}]}""", "not JSON" },
        { """{"messages":[{"role":"tool","tool_call_id":"nope","content":"x"}]}""", "answer a tool call" },
        { """{"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":7}]}""", "text content" },
        { """{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"xml"}}""", "response_format 'xml'" },
    };

    [Theory]
    [MemberData(nameof(Untranslatable))]
    public async Task CompleteAsync_UntranslatableRequest_IsAnInvalidRequestWithoutACall(string request, string reason)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("{}"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", JsonNode.Parse(request)!.AsObject()), Ct);
        var streamed = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", JsonNode.Parse(request)!.AsObject()), Ct);

        Assert.Equal(ProviderErrorKind.InvalidRequest, result.Error!.Kind);
        Assert.Contains(reason, result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ProviderErrorKind.InvalidRequest, streamed.Error!.Kind);
        Assert.Empty(upstream.Received);
    }

    [Theory]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("BLOCKLIST", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("SPII", "content_filter")]
    [InlineData("OTHER", "stop")]
    [InlineData("STOP", "stop")]
    public async Task CompleteAsync_FinishReason_IsMapped(string reason, string expected)
    {
        var body = $$$"""{"candidates":[{"content":{"role":"model","parts":[{"text":"x"}]},"finishReason":"{{{reason}}}"}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1}}""";
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.Equal(expected, (string?)ProviderCalls.Json(result.Value!.Body)["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task CompleteAsync_BlockedPrompt_IsAFilteredEmptyChoiceStillMetered()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "generate-content-blocked.json")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        var choice = ProviderCalls.Json(result.Value!.Body)["choices"]![0]!;
        Assert.Equal("content_filter", (string?)choice["finish_reason"]);
        Assert.Null(choice["message"]!["content"]);
        Assert.Equal(new UsageMeters { InputTokens = 57 }, result.Value.Usage.Meters);
    }

    [Fact]
    public async Task CompleteAsync_ResponseWithoutIdUsageOrVersion_GetsAGeneratedIdTheRequestedModelAndCreateTime()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(
            """{"candidates":[{"content":{"parts":[{"text":"a"},{"text":"b"},{"inlineData":{}}]},"finishReason":"STOP"},{"index":3,"content":{"parts":[]}}],"createTime":"2026-01-02T03:04:05.678Z"}"""));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        var body = ProviderCalls.Json(result.Value!.Body);
        Assert.StartsWith("chatcmpl-", (string?)body["id"], StringComparison.Ordinal);
        Assert.Equal("gemini-2.5-flash", (string?)body["model"]);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), (long?)body["created"]);
        Assert.Equal("ab", (string?)body["choices"]![0]!["message"]!["content"]);
        Assert.Equal(3, (int?)body["choices"]![1]!["index"]);
        Assert.Null(body["choices"]![1]!["message"]!["content"]);
        Assert.Equal("stop", (string?)body["choices"]![1]!["finish_reason"]);
        Assert.False(body.AsObject().ContainsKey("usage"));
        Assert.False(result.Value.Usage.IsKnown);
    }

    [Fact]
    public async Task CompleteAsync_429WithRetryInfo_IsRateLimitedWithTheDelay()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "error-429.json"), 429));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.RateLimited, result.Error!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(37), result.Error.RetryAfter);
        Assert.Equal("RESOURCE_EXHAUSTED", result.Error.ProviderCode);
        Assert.Equal(429, result.Error.StatusCode);
        Assert.Equal("gemini: You exceeded your current quota, please check your plan and billing details.", result.Error.Message);
    }

    public static TheoryData<int, string, ProviderErrorKind> StatusCases => new()
    {
        { 400, """{"error":{"code":400,"message":"Invalid JSON payload received.","status":"INVALID_ARGUMENT"}}""", ProviderErrorKind.InvalidRequest },
        { 400, """{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}""", ProviderErrorKind.InvalidRequest },
        { 403, """{"error":{"code":403,"message":"Method doesn't allow unregistered callers.","status":"PERMISSION_DENIED"}}""", ProviderErrorKind.Unauthorized },
        { 503, """{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}""", ProviderErrorKind.ServerError },
        { 504, """[{"error":{"code":504,"message":"Deadline exceeded.","status":"DEADLINE_EXCEEDED"}}]""", ProviderErrorKind.ServerError },
        { 402, "not json", ProviderErrorKind.QuotaExhausted },
        { 409, """{"error":"conflict"}""", ProviderErrorKind.InvalidRequest },
    };

    [Theory]
    [MemberData(nameof(StatusCases))]
    public async Task CompleteAsync_FailureStatus_MapsToItsKind(int status, string body, ProviderErrorKind kind)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body, status));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(status, result.Error.StatusCode);
        Assert.Null(result.Error.RetryAfter);
    }

    [Fact]
    public async Task CompleteAsync_RetryAfterHeaderWithoutRetryInfo_IsHonoured()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(
            """{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"soon"}]}}""", 429, ("retry-after", "4")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.Equal(TimeSpan.FromSeconds(4), result.Error!.RetryAfter);
    }

    [Theory]
    [InlineData("{\"candidates\":[")]
    [InlineData("{\"modelVersion\":\"gemini-2.5-flash\"}")]
    public async Task CompleteAsync_UnreadableSuccessBody_IsMalformedResponse(string body)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.MalformedResponse, result.Error!.Kind);
    }

    [Fact]
    public async Task CompleteAsync_ErrorBodyWithSuccessStatus_IsAnError()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("""{"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}"""));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.ServerError, result.Error!.Kind);
        Assert.Equal(200, result.Error.StatusCode);
    }

    [Fact]
    public async Task StreamAsync_RecordedStream_TranslatesChunksThenAUsageOnlyChunkEqualToNonStreamed()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("gemini", "stream.sse")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Equal("/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", Assert.Single(upstream.Received).PathAndQuery);
        Assert.Equal(Key, upstream.Received[0].Headers["x-goog-api-key"]);
        Assert.Equal([false, false, false, true], chunks.Select(c => c.IsUsageOnly));
        var json = chunks.Select(ProviderCalls.Json).ToList();
        Assert.All(json, j => Assert.Equal("chat.completion.chunk", (string?)j["object"]));
        Assert.All(json, j => Assert.Equal("rec-gem-001", (string?)j["id"]));
        Assert.All(json, j => Assert.Equal(s_now.ToUnixTimeSeconds(), (long?)j["created"]));
        Assert.Equal("assistant", (string?)json[0]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal("Thinking about the call summary.", (string?)json[0]["choices"]![0]!["delta"]!["reasoning_content"]);
        Assert.Null(json[0]["choices"]![0]!["delta"]!["content"]);
        Assert.Null(json[1]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal("The caller asked to move ", (string?)json[1]["choices"]![0]!["delta"]!["content"]);
        Assert.Null(json[1]["choices"]![0]!["finish_reason"]);
        Assert.Equal("stop", (string?)json[2]["choices"]![0]!["finish_reason"]);
        Assert.Empty(json[3]["choices"]!.AsArray());
        Assert.Equal(11930, (long?)json[3]["usage"]!["prompt_tokens"]);
        Assert.Equal(840, (long?)json[3]["usage"]!["completion_tokens"]);
        Assert.Null(stream.Error);
        Assert.Equal(GeminiUsage.ParseGenerateContent(Recorded.Bytes("gemini", "generate-content.json")), stream.Usage);
        Assert.Equal("Thinking about the call summary.The caller asked to move the meeting to Friday.", stream.StreamedText);
    }

    [Fact]
    public async Task StreamAsync_ToolCallsOverSeveralChunks_AreNumberedAcrossTheStream()
    {
        const string transcript = """
            data: {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"id":"fc_1","name":"a","args":{"x":1}}}]},"index":0}],"modelVersion":"gemini-2.5-flash"}

            data: {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"b","args":{}}}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":8},"modelVersion":"gemini-2.5-flash"}

            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript + "\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);
        await using var stream = result.Value!;
        var json = (await DrainAsync(stream, Ct)).Select(ProviderCalls.Json).ToList();

        Assert.Equal(3, json.Count);
        var first = json[0]["choices"]![0]!["delta"]!["tool_calls"]![0]!;
        Assert.Equal(0, (int?)first["index"]);
        Assert.Equal("fc_1", (string?)first["id"]);
        Assert.Equal("""{"x":1}""", (string?)first["function"]!["arguments"]);
        Assert.Equal(1, (int?)json[1]["choices"]![0]!["delta"]!["tool_calls"]![0]!["index"]);
        Assert.Equal("tool_calls", (string?)json[1]["choices"]![0]!["finish_reason"]);
        Assert.StartsWith("chatcmpl-", (string?)json[0]["id"], StringComparison.Ordinal);
        Assert.Equal(new UsageMeters { InputTokens = 20, OutputTokens = 8 }, stream.Usage.Meters);
        Assert.Equal("""{"x":1}{}""", stream.StreamedText);
    }

    [Fact]
    public async Task StreamAsync_UsageOnlyAndBlockedEvents_AreTranslatedOrSkipped()
    {
        const string transcript = """
            data: {"usageMetadata":{"promptTokenCount":57},"modelVersion":"gemini-2.5-flash"}

            data: {"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":57},"modelVersion":"gemini-2.5-flash","responseId":"blk"}

            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript + "\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);
        await using var stream = result.Value!;
        var json = (await DrainAsync(stream, Ct)).Select(ProviderCalls.Json).ToList();

        Assert.Equal(2, json.Count);
        Assert.Equal("content_filter", (string?)json[0]["choices"]![0]!["finish_reason"]);
        Assert.Equal("assistant", (string?)json[0]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal(57, (long?)json[1]["usage"]!["prompt_tokens"]);
        Assert.True(stream.Usage.IsKnown);
    }

    [Fact]
    public async Task StreamAsync_ConnectionTornBeforeTheFinalChunk_EndsWithANetworkErrorAndUnknownUsage()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("gemini", "stream-cut.sse"), abortAfter: true));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Single(chunks);
        Assert.Equal(ProviderErrorKind.Network, stream.Error!.Kind);
        Assert.Equal(UsageReport.Unknown("gemini-2.5-flash", "rec-gem-006"), stream.Usage);
        Assert.Equal("The caller asked to move ", stream.StreamedText);
    }

    [Fact]
    public async Task StreamAsync_BodyEndsBeforeAnyFinish_IsABrokenStream()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(Recorded.Text("gemini", "stream-cut.sse")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);
        await using var stream = result.Value!;
        await DrainAsync(stream, Ct);

        Assert.Equal(ProviderErrorKind.Network, stream.Error!.Kind);
        Assert.False(stream.Usage.IsKnown);
    }

    [Fact]
    public async Task StreamAsync_ErrorEventMidStream_EndsWithTheError()
    {
        const string transcript = """
            data: {"candidates":[{"content":{"parts":[{"text":"Hel"}]},"index":0}]}

            data: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}}

            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse(transcript + "\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);
        await using var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);

        Assert.Single(chunks);
        Assert.Equal(ProviderErrorKind.ServerError, stream.Error!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1.5), stream.Error.RetryAfter);
        Assert.Equal("UNAVAILABLE", stream.Error.ProviderCode);
    }

    [Theory]
    [InlineData("""{"error":{"message":"quota","status":"RESOURCE_EXHAUSTED"}}""", ProviderErrorKind.RateLimited)]
    [InlineData("""{"error":{"code":429,"message":"quota"}}""", ProviderErrorKind.RateLimited)]
    [InlineData("""[{"error":{"message":"bad","status":"INVALID_ARGUMENT"}}]""", ProviderErrorKind.InvalidRequest)]
    [InlineData("""{"error":{"message":"denied","status":"PERMISSION_DENIED"}}""", ProviderErrorKind.Unauthorized)]
    [InlineData("""{"error":{"message":"gone","status":"NOT_FOUND"}}""", ProviderErrorKind.NotFound)]
    [InlineData("""{"error":{"message":"x","status":"INTERNAL"}}""", ProviderErrorKind.ServerError)]
    [InlineData("""{"error":"x"}""", ProviderErrorKind.ServerError)]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"a"}]}}]} trailing""", ProviderErrorKind.MalformedResponse)]
    public async Task StreamAsync_FailureAsFirstEvent_FailsTheCall(string firstEvent, ProviderErrorKind kind)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse($"data: {firstEvent}\n\n"));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.Equal(kind, result.Error!.Kind);
    }

    [Fact]
    public async Task StreamAsync_429_FailsWithTheRetryDelay()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "error-429.json"), 429));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.Equal(ProviderErrorKind.RateLimited, result.Error!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(37), result.Error.RetryAfter);
    }

    [Fact]
    public async Task ReadAsync_CancelledMidStream_Throws()
    {
        var release = new TaskCompletionSource();
        await using var upstream = await LoopbackUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("""data: {"candidates":[{"content":{"parts":[{"text":"a"}]},"index":0}]}""" + "\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await release.Task.WaitAsync(context.RequestAborted);
        });
        using var http = new HttpClient();
        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);
        await using var stream = result.Value!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in stream.ReadAsync(cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        Assert.Null(stream.Error);
        release.SetResult();
    }

    [Theory]
    [InlineData("a.png", "image/png")]
    [InlineData("a.jpeg", "image/jpeg")]
    [InlineData("a.webp", "image/webp")]
    [InlineData("a.gif", "image/gif")]
    [InlineData("a.heic", "image/heic")]
    [InlineData("a.heif", "image/heif")]
    [InlineData("a.pdf", "application/pdf")]
    [InlineData("a.mp3", "audio/mp3")]
    [InlineData("a.wav", "audio/wav")]
    [InlineData("a.flac", "audio/flac")]
    [InlineData("a.ogg", "audio/ogg")]
    [InlineData("a.mp4", "video/mp4")]
    [InlineData("a.webm", "video/webm")]
    [InlineData("a.mov", "video/mov")]
    public async Task CompleteAsync_MediaUrl_IsSentByReferenceWithItsMediaType(string file, string mimeType)
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "generate-content.json")));
        using var http = new HttpClient();
        var request = JsonNode.Parse($$$"""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://files.example.com/{{{file}}}?v=1"}}]}],"response_format":{"type":"text"}}""")!.AsObject();

        await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", request), Ct);

        var sent = Sent(upstream);
        Assert.Equal(mimeType, (string?)sent["contents"]![0]!["parts"]![0]!["file_data"]!["mime_type"]);
        Assert.False(sent.ContainsKey("generationConfig"));
    }

    [Fact]
    public async Task CompleteAsync_ConversationEndingWithToolResults_ClosesTheToolTurn()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(Recorded.Bytes("gemini", "generate-content.json")));
        using var http = new HttpClient();
        var request = JsonNode.Parse("""
            {"messages":[
               {"role":"assistant","content":"Checking.","tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"null"}}]},
               {"role":"tool","tool_call_id":"c1","content":"found"},
               {"role":"tool","name":"legacy","content":null}]}
            """)!.AsObject();

        await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", request), Ct);

        var expected = JsonNode.Parse("""
            {"contents":[
               {"role":"model","parts":[{"text":"Checking."},{"functionCall":{"name":"lookup","args":null}}]},
               {"role":"user","parts":[
                  {"functionResponse":{"name":"lookup","response":{"content":"found"}}},
                  {"functionResponse":{"name":"legacy","response":{"content":""}}}]}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, Sent(upstream)), Sent(upstream).ToJsonString());
    }

    [Fact]
    public async Task CompleteAsync_OddPartsAndLeadingWhitespace_AreToleratedInTheResponse()
    {
        var body = """

            {"candidates":[{"content":{"parts":["odd",{"text":"ok"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":2,"promptTokensDetails":[{"modality":"TEXT","tokenCount":2,"note":"x"}]}}
            """;
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json(body));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).CompleteAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);

        Assert.Equal("ok", (string?)ProviderCalls.Json(result.Value!.Body)["choices"]![0]!["message"]!["content"]);
        Assert.Equal(new UsageMeters { InputTokens = 2 }, result.Value.Usage.Meters);
    }

    [Fact]
    public async Task CompleteAsync_RetryAfterHeaders_AreHonouredWithoutRetryInfo()
    {
        var time = new FakeTimeProvider(s_now);
        var date = s_now.AddSeconds(30).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("{}", 503, ("retry-after", date)));
        await using var msUpstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Json("{}", 503, ("retry-after-ms", "250")));
        using var http = new HttpClient();

        var byDate = await new GeminiChatProvider(http, new ProviderEndpoint(upstream.BaseUrl, null), time).CompleteAsync(Call("gemini", "g", Chat()), Ct);
        var byMs = await new GeminiChatProvider(http, new ProviderEndpoint(msUpstream.BaseUrl, null)).CompleteAsync(Call("gemini", "g", Chat()), Ct);

        Assert.Equal(TimeSpan.FromSeconds(30), byDate.Error!.RetryAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(250), byMs.Error!.RetryAfter);
        Assert.Equal("gemini: HTTP 503 Service Unavailable", byMs.Error.Message);
    }

    [Fact]
    public async Task StreamAsync_WhitespaceEventsAndDoubleDispose_AreHarmless()
    {
        await using var upstream = await LoopbackUpstream.StartAsync(LoopbackUpstream.Sse("data:  \n\n" + Recorded.Text("gemini", "stream.sse")));
        using var http = new HttpClient();

        var result = await Provider(upstream, http).StreamAsync(Call("gemini", "gemini-2.5-flash", Chat()), Ct);
        var stream = result.Value!;
        var chunks = await DrainAsync(stream, Ct);
        await stream.DisposeAsync();
        await stream.DisposeAsync();

        Assert.Equal(4, chunks.Count);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        using var http = new HttpClient();

        Assert.Throws<ArgumentNullException>(() => new GeminiChatProvider(null!, new ProviderEndpoint(new Uri("https://g"), null)));
        Assert.Throws<ArgumentNullException>(() => new GeminiChatProvider(http, null!));
    }

}
