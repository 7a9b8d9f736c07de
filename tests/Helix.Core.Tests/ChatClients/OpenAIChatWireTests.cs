using System.ComponentModel;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.ChatClients;
using Microsoft.Extensions.AI;
using Xunit;

namespace Helix.Core.Tests.ChatClients;

public sealed class OpenAIChatWireTests
{
    private static readonly byte[] s_png = [0x89, 0x50, 0x4E, 0x47];

    [Fact]
    public void ToRequest_TextMessages_SendsEachRoleWithPlainStringContent()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Be brief."),
            new(ChatRole.User, "What is Helix?"),
            new(ChatRole.Assistant, "A control plane."),
        ];

        var request = OpenAIChatWire.ToRequest(messages, options: null, stream: false);

        Assert.Equal(
            """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is Helix?"},{"role":"assistant","content":"A control plane."}]}""",
            request.ToJsonString());
    }

    [Fact]
    public void ToRequest_SeveralTextParts_SendsAnArrayOfTextParts()
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("First."), new TextContent("Second.")]);

        var request = OpenAIChatWire.ToRequest([message], null, stream: false);

        Assert.Equal(
            """[{"type":"text","text":"First."},{"type":"text","text":"Second."}]""",
            Message(request, 0)["content"]!.ToJsonString());
    }

    [Fact]
    public void ToRequest_ImageData_SendsTextAndADataUriImagePart()
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent("What is this?"), new DataContent(s_png, "image/png")]);

        var request = OpenAIChatWire.ToRequest([message], null, stream: false);

        var parts = Assert.IsType<JsonArray>(Message(request, 0)["content"]);
        Assert.Equal(2, parts.Count);
        Assert.Equal("text", parts[0]!["type"]!.GetValue<string>());
        Assert.Equal("image_url", parts[1]!["type"]!.GetValue<string>());
        Assert.Equal($"data:image/png;base64,{Convert.ToBase64String(s_png)}", parts[1]!["image_url"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void ToRequest_OnlyAnImage_SendsAOnePartArrayRatherThanAString()
    {
        var message = new ChatMessage(ChatRole.User, [new UriContent(new Uri("https://images.example/cat.jpg"), "image/jpeg")]);

        var request = OpenAIChatWire.ToRequest([message], null, stream: false);

        Assert.Equal(
            """[{"type":"image_url","image_url":{"url":"https://images.example/cat.jpg"}}]""",
            Message(request, 0)["content"]!.ToJsonString());
    }

    [Fact]
    public void ToRequest_NonImageMedia_IsSkipped()
    {
        var message = new ChatMessage(ChatRole.User,
        [
            new TextContent("Listen."),
            new DataContent(s_png, "audio/wav"),
            new UriContent(new Uri("https://files.example/report.pdf"), "application/pdf"),
        ]);

        var request = OpenAIChatWire.ToRequest([message], null, stream: false);

        Assert.Equal("Listen.", Message(request, 0)["content"]!.GetValue<string>());
    }

    [Fact]
    public void ToRequest_EmptyMessages_AreSkipped()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.User, (string?)null),
            new(ChatRole.Assistant, [new TextReasoningContent("thinking only")]),
            new(ChatRole.User, [new DataContent(s_png, "audio/wav")]),
            new(ChatRole.User, "Hello"),
        ];

        var request = OpenAIChatWire.ToRequest(messages, null, stream: false);

        Assert.Equal("""[{"role":"user","content":"Hello"}]""", request["messages"]!.ToJsonString());
    }

    [Fact]
    public void ToRequest_FunctionCall_SendsToolCallsWithJsonArgumentsAndNullContent()
    {
        var message = new ChatMessage(ChatRole.Assistant,
        [
            new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 3 }),
            new FunctionCallContent("call_2", "get_time"),
        ]);

        var request = OpenAIChatWire.ToRequest([message], null, stream: false);

        var wire = Message(request, 0);
        Assert.Equal("assistant", wire["role"]!.GetValue<string>());
        Assert.True(wire.ContainsKey("content"));
        Assert.Null(wire["content"]);
        var calls = Assert.IsType<JsonArray>(wire["tool_calls"]);
        Assert.Equal(2, calls.Count);
        Assert.Equal(("call_1", "function", "get_weather"), (
            calls[0]!["id"]!.GetValue<string>(), calls[0]!["type"]!.GetValue<string>(), calls[0]!["function"]!["name"]!.GetValue<string>()));
        var arguments = JsonNode.Parse(calls[0]!["function"]!["arguments"]!.GetValue<string>())!;
        Assert.Equal(("Paris", 3), (arguments["city"]!.GetValue<string>(), arguments["days"]!.GetValue<int>()));
        Assert.Equal("{}", calls[1]!["function"]!["arguments"]!.GetValue<string>());
    }

    [Fact]
    public void ToRequest_TextAndFunctionCall_SendsBothInOneAssistantMessage()
    {
        var message = new ChatMessage(ChatRole.Assistant,
            [new TextContent("Let me check."), new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?>())]);

        var request = OpenAIChatWire.ToRequest([message], null, stream: false);

        var wire = Message(request, 0);
        Assert.Equal("Let me check.", wire["content"]!.GetValue<string>());
        Assert.Single(wire["tool_calls"]!.AsArray());
    }

    [Fact]
    public void ToRequest_FunctionResults_SendsOneToolMessagePerResult()
    {
        var message = new ChatMessage(ChatRole.Tool,
        [
            new FunctionResultContent("call_1", "sunny"),
            new FunctionResultContent("call_2", new Dictionary<string, object?> { ["temp"] = 21 }),
        ]);

        var request = OpenAIChatWire.ToRequest([message], null, stream: false);

        Assert.Equal(
            """[{"role":"tool","tool_call_id":"call_1","content":"sunny"},{"role":"tool","tool_call_id":"call_2","content":"{\u0022temp\u0022:21}"}]""",
            request["messages"]!.ToJsonString());
    }

    [Fact]
    public void ToRequest_NoOptionsNotStreaming_SendsOnlyTheMessages()
    {
        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Hi")], null, stream: false);

        Assert.Equal(["messages"], request.Select(p => p.Key));
    }

    [Fact]
    public void ToRequest_Streaming_AsksForUsageInTheStream()
    {
        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions(), stream: true);

        Assert.True(request["stream"]!.GetValue<bool>());
        Assert.True(request["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public void ToRequest_SamplingOptions_SendsTheirOpenAINames()
    {
        var options = new ChatOptions
        {
            Temperature = 0.25f,
            TopP = 0.5f,
            MaxOutputTokens = 64,
            FrequencyPenalty = 0.1f,
            PresencePenalty = 0.2f,
            Seed = 42,
            StopSequences = ["END", "STOP"],
        };

        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Hi")], options, stream: false);

        Assert.Equal(0.25f, request["temperature"]!.GetValue<float>());
        Assert.Equal(0.5f, request["top_p"]!.GetValue<float>());
        Assert.Equal(64, request["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.1f, request["frequency_penalty"]!.GetValue<float>());
        Assert.Equal(0.2f, request["presence_penalty"]!.GetValue<float>());
        Assert.Equal(42L, request["seed"]!.GetValue<long>());
        Assert.Equal("""["END","STOP"]""", request["stop"]!.ToJsonString());
        Assert.False(request.ContainsKey("stream"));
    }

    [Fact]
    public void ToRequest_EmptyOptions_SendsNoOptionFields()
    {
        var options = new ChatOptions { StopSequences = [], Tools = [], ResponseFormat = ChatResponseFormat.Text, ToolMode = ChatToolMode.Auto };

        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Hi")], options, stream: false);

        Assert.Equal(["messages"], request.Select(p => p.Key));
    }

    [Fact]
    public void ToRequest_Instructions_SendsThemAsALeadingSystemMessage()
    {
        var options = new ChatOptions { Instructions = "Answer in French." };

        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Hi")], options, stream: false);

        Assert.Equal(
            """[{"role":"system","content":"Answer in French."},{"role":"user","content":"Hi"}]""",
            request["messages"]!.ToJsonString());
    }

    [Fact]
    public void ToRequest_JsonResponseFormat_SendsJsonObject()
    {
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.Json };

        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Hi")], options, stream: false);

        Assert.Equal("""{"type":"json_object"}""", request["response_format"]!.ToJsonString());
    }

    [Fact]
    public void ToRequest_JsonSchemaResponseFormat_SendsTheSchemaWithItsNameAndDescription()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement, "place", "A place.") };

        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Hi")], options, stream: false);

        Assert.Equal(
            """{"type":"json_schema","json_schema":{"name":"place","schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"description":"A place."}}""",
            request["response_format"]!.ToJsonString());
    }

    [Fact]
    public void ToRequest_JsonSchemaWithoutName_NamesItResponse()
    {
        using var schema = JsonDocument.Parse("""{"type":"object"}""");
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement) };

        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Hi")], options, stream: false);

        Assert.Equal("""{"name":"response","schema":{"type":"object"}}""", request["response_format"]!["json_schema"]!.ToJsonString());
    }

    [Fact]
    public void ToRequest_FunctionTool_SendsItsNameDescriptionAndParameterSchema()
    {
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(GetWeather, "get_weather")] };

        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Weather?")], options, stream: false);

        var tool = Assert.Single(request["tools"]!.AsArray())!;
        Assert.Equal("function", tool["type"]!.GetValue<string>());
        var function = tool["function"]!;
        Assert.Equal("get_weather", function["name"]!.GetValue<string>());
        Assert.Equal("Gets the weather of a city.", function["description"]!.GetValue<string>());
        Assert.Equal("object", function["parameters"]!["type"]!.GetValue<string>());
        Assert.Equal("string", function["parameters"]!["properties"]!["city"]!["type"]!.GetValue<string>());
        Assert.Equal("""["city"]""", function["parameters"]!["required"]!.ToJsonString());
        Assert.False(request.ContainsKey("tool_choice"));
        Assert.False(request.ContainsKey("parallel_tool_calls"));
    }

    [Fact]
    public void ToRequest_OnlyHostedTools_SendsNoToolsNorToolChoice()
    {
        var options = new ChatOptions { Tools = [new HostedWebSearchTool()], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = false };

        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Search.")], options, stream: false);

        Assert.False(request.ContainsKey("tools"));
        Assert.False(request.ContainsKey("tool_choice"));
        Assert.False(request.ContainsKey("parallel_tool_calls"));
    }

    public static TheoryData<string, string> ToolModes => new()
    {
        { "none", "\"none\"" },
        { "auto", "\"auto\"" },
        { "any", "\"required\"" },
        { "get_weather", """{"type":"function","function":{"name":"get_weather"}}""" },
    };

    [Theory]
    [MemberData(nameof(ToolModes))]
    public void ToRequest_ToolMode_SendsTheToolChoice(string mode, string expected)
    {
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.Create(GetWeather, "get_weather")],
            ToolMode = mode switch
            {
                "none" => ChatToolMode.None,
                "auto" => ChatToolMode.Auto,
                "any" => ChatToolMode.RequireAny,
                _ => ChatToolMode.RequireSpecific(mode),
            },
            AllowMultipleToolCalls = false,
        };

        var request = OpenAIChatWire.ToRequest([new ChatMessage(ChatRole.User, "Weather?")], options, stream: false);

        Assert.Equal(expected, request["tool_choice"]!.ToJsonString());
        Assert.False(request["parallel_tool_calls"]!.GetValue<bool>());
    }

    [Fact]
    public void ToResponse_FullMessage_MapsTextReasoningToolCallsFinishAndUsage()
    {
        var body = """
            {"id":"chatcmpl-1","model":"m-1","choices":[{"index":0,"message":{"role":"assistant","content":"Checking.",
            "reasoning_content":"The user wants weather.",
            "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":3}"}}]},
            "finish_reason":"tool_calls"}],
            "usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":40},"completion_tokens_details":{"reasoning_tokens":8}}}
            """;

        var response = OpenAIChatWire.ToResponse(Utf8(body));

        Assert.Equal(("chatcmpl-1", "m-1"), (response.ResponseId, response.ModelId));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("Checking.", response.Text);
        Assert.Equal("The user wants weather.", Assert.Single(message.Contents.OfType<TextReasoningContent>()).Text);
        var call = Assert.Single(message.Contents.OfType<FunctionCallContent>());
        Assert.Equal(("call_1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Paris", call.Arguments!["city"]?.ToString());
        Assert.Equal("3", call.Arguments["days"]?.ToString());
        Assert.Null(call.Exception);
        Assert.Equal((100L, 20L, 120L, 40L, 8L), (
            response.Usage!.InputTokenCount, response.Usage.OutputTokenCount, response.Usage.TotalTokenCount,
            response.Usage.CachedInputTokenCount, response.Usage.ReasoningTokenCount));
    }

    [Fact]
    public void ToResponse_UsageWithoutDetails_LeavesCachedAndReasoningUnknown()
    {
        var response = OpenAIChatWire.ToResponse(Utf8("""{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":"2","prompt_tokens_details":null}}"""));

        Assert.Equal(7, response.Usage!.InputTokenCount);
        Assert.Null(response.Usage.OutputTokenCount);
        Assert.Null(response.Usage.TotalTokenCount);
        Assert.Null(response.Usage.CachedInputTokenCount);
        Assert.Null(response.Usage.ReasoningTokenCount);
    }

    [Theory]
    [InlineData("""{"id":"x","model":"m"}""")]
    [InlineData("""{"choices":[]}""")]
    [InlineData("""{"choices":{}}""")]
    [InlineData("""{"choices":[{"index":0}]}""")]
    [InlineData("""{"choices":[{"message":null,"finish_reason":null}],"usage":null}""")]
    [InlineData("""{"choices":[null]}""")]
    public void ToResponse_NoUsableChoice_ReturnsAnEmptyAssistantMessage(string body)
    {
        var response = OpenAIChatWire.ToResponse(Utf8(body));

        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Empty(message.Contents);
        Assert.Null(response.FinishReason);
        Assert.Null(response.Usage);
    }

    [Fact]
    public void ToResponse_EmptyContentAndReasoning_AddNoContents()
    {
        var response = OpenAIChatWire.ToResponse(Utf8("""{"choices":[{"message":{"content":"","reasoning_content":"","tool_calls":null},"finish_reason":"stop"}]}"""));

        Assert.Empty(response.Messages[0].Contents);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public void ToResponse_MalformedToolArguments_CarriesTheErrorInsteadOfThrowing()
    {
        var body = """{"choices":[{"message":{"tool_calls":[{"id":"call_1","function":{"name":"get_weather","arguments":"{\"city\":"}}]},"finish_reason":"length"}]}""";

        var response = OpenAIChatWire.ToResponse(Utf8(body));

        var call = Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.Equal(("call_1", "get_weather"), (call.CallId, call.Name));
        Assert.NotNull(call.Exception);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public void ToResponse_ToolCallsWithoutFunctionOrArguments_SkipsOrLeavesArgumentsEmpty()
    {
        var body = """{"choices":[{"message":{"tool_calls":[{"id":"call_0","type":"custom"},{"function":{"name":"get_time","arguments":""}},"oops"]}}]}""";

        var response = OpenAIChatWire.ToResponse(Utf8(body));

        var call = Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.Equal((string.Empty, "get_time"), (call.CallId, call.Name));
        Assert.Null(call.Arguments);
    }

    [Theory]
    [InlineData("stop", "stop")]
    [InlineData("length", "length")]
    [InlineData("tool_calls", "tool_calls")]
    [InlineData("function_call", "tool_calls")]
    [InlineData("content_filter", "content_filter")]
    [InlineData("recitation", "recitation")]
    public void ToResponse_FinishReason_MapsToTheChatFinishReason(string wire, string expected)
    {
        var response = OpenAIChatWire.ToResponse(Utf8($$"""{"choices":[{"message":{"content":"x"},"finish_reason":"{{wire}}"}]}"""));

        Assert.Equal(new ChatFinishReason(expected), response.FinishReason);
    }

    [Fact]
    public void ToUpdate_ContentChunk_YieldsAssistantText()
    {
        var toolCalls = new StreamedToolCalls();

        var update = OpenAIChatWire.ToUpdate(Utf8("""{"id":"chatcmpl-9","model":"m-1","choices":[{"index":0,"delta":{"content":"Hel"}}]}"""), toolCalls);

        Assert.Equal(("chatcmpl-9", "m-1"), (update.ResponseId, update.ModelId));
        Assert.Equal(ChatRole.Assistant, update.Role);
        Assert.Equal("Hel", update.Text);
        Assert.Null(update.FinishReason);
        Assert.Equal(0, toolCalls.Count);
    }

    [Fact]
    public void ToUpdate_ReasoningChunk_YieldsReasoningContent()
    {
        var update = OpenAIChatWire.ToUpdate(Utf8("""{"choices":[{"delta":{"reasoning_content":"Hmm."}}]}"""), new StreamedToolCalls());

        Assert.Equal("Hmm.", Assert.IsType<TextReasoningContent>(Assert.Single(update.Contents)).Text);
    }

    [Fact]
    public void ToUpdate_FinishChunk_CarriesTheFinishReason()
    {
        var update = OpenAIChatWire.ToUpdate(Utf8("""{"choices":[{"delta":{},"finish_reason":"content_filter"}],"usage":null}"""), new StreamedToolCalls());

        Assert.Equal(ChatFinishReason.ContentFilter, update.FinishReason);
        Assert.Empty(update.Contents);
    }

    [Fact]
    public void ToUpdate_UsageOnlyChunk_YieldsUsageContent()
    {
        var chunk = """{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":1}}}""";

        var update = OpenAIChatWire.ToUpdate(Utf8(chunk), new StreamedToolCalls());

        var usage = Assert.IsType<UsageContent>(Assert.Single(update.Contents)).Details;
        Assert.Equal((10L, 2L, 12L, 4L, 1L), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount, usage.CachedInputTokenCount, usage.ReasoningTokenCount));
        Assert.Null(update.FinishReason);
    }

    [Fact]
    public void ToUpdate_ToolCallFragments_AreCollectedAndParsedWhole()
    {
        var toolCalls = new StreamedToolCalls();
        string[] chunks =
        [
            """{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}""",
            """{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}}]}""",
            """{"choices":[{"delta":{"tool_calls":[{"index":1,"id":"call_2","function":{"name":"get_time","arguments":"{}"}}]}}]}""",
            """{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]}""",
        ];

        var updates = chunks.Select(c => OpenAIChatWire.ToUpdate(Utf8(c), toolCalls)).ToList();

        Assert.All(updates, u => Assert.Empty(u.Contents));
        Assert.Equal(2, toolCalls.Count);
        var calls = toolCalls.ToContents().Cast<FunctionCallContent>().ToList();
        Assert.Equal(("call_1", "get_weather", "Paris"), (calls[0].CallId, calls[0].Name, calls[0].Arguments!["city"]?.ToString()));
        Assert.Equal(("call_2", "get_time"), (calls[1].CallId, calls[1].Name));
        Assert.Empty(calls[1].Arguments!);
    }

    [Fact]
    public void StreamedToolCalls_FragmentsWithoutIndex_EachStartANewCall()
    {
        var toolCalls = new StreamedToolCalls();

        toolCalls.Add(null, "call_a", "first", """{"n":1}""");
        toolCalls.Add(null, "call_b", "second", null);

        var calls = toolCalls.ToContents().Cast<FunctionCallContent>().ToList();
        Assert.Equal(["call_a", "call_b"], calls.Select(c => c.CallId));
        Assert.Equal("1", calls[0].Arguments!["n"]?.ToString());
        Assert.Null(calls[1].Arguments);
    }

    [Fact]
    public void StreamedToolCalls_FragmentsKeepTheFirstIdAndName()
    {
        var toolCalls = new StreamedToolCalls();

        toolCalls.Add(0, "call_1", "get_weather", "{");
        toolCalls.Add(0, "call_other", "other", "}");

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(toolCalls.ToContents()));
        Assert.Equal(("call_1", "get_weather"), (call.CallId, call.Name));
        Assert.Empty(call.Arguments!);
    }

    [Description("Gets the weather of a city.")]
    private static string GetWeather(string city) => $"Sunny in {city}";

    private static JsonObject Message(JsonObject request, int index) => request["messages"]![index]!.AsObject();

    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);
}
