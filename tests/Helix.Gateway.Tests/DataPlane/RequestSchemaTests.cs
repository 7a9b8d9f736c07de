using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helix.Simulator;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>
/// Requests that break OpenAI's request schema, or that would put unbounded or unprintable strings into headers and
/// the log, get a 400 in the OpenAI shape naming the field, reach no provider and log nothing.
/// </summary>
public sealed class RequestSchemaTests : IClassFixture<GatewayFactory>
{
    private const string Hi = """[{"role":"user","content":"hi"}]""";

    private readonly GatewayFactory _factory;

    public RequestSchemaTests(GatewayFactory factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Invalid => new()
    {
        { $$"""{"model":"op:chat","messages":{{Hi}},"max_tokens":-1}""", "max_tokens" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"max_tokens":0}""", "max_tokens" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"max_tokens":1e308}""", "max_tokens" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"max_tokens":"abc"}""", "max_tokens" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"max_completion_tokens":2.5}""", "max_completion_tokens" },
        { """{"model":"op:chat","messages":[1,2]}""", "messages[0]" },
        { """{"model":"op:chat","messages":[null]}""", "messages[0]" },
        { """{"model":"op:chat","messages":"hi"}""", "messages" },
        { """{"model":"op:chat","messages":[{"role":123,"content":"hi"}]}""", "messages[0].role" },
        { """{"model":"op:chat","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role" },
        { """{"model":"op:chat","messages":[{"role":"user","content":[1]}]}""", "messages[0].content[0]" },
        { """{"model":"op:chat","messages":[{"role":"user","content":[{"type":"text","text":5}]}]}""", "messages[0].content[0].text" },
        { """{"model":"op:chat","messages":[{"role":"user","content":{"a":1}}]}""", "messages[0].content" },
        { """{"model":"op:chat","messages":[{"role":"user","content":"hi","name":7}]}""", "messages[0].name" },
        { """{"model":"op:chat","messages":[{"role":"assistant","content":null,"tool_calls":"x"}]}""", "messages[0].tool_calls" },
        { """{"model":"op:chat","messages":[{"role":"user","content":"hi"},{"role":"tool","content":"ok","tool_call_id":3}]}""", "messages[1].tool_call_id" },
        { """{"model":"op:chat","messages":[{"role":"user","content":"hi"},{"role":"user","content":[{"type":"text","text":"a"},{"type":1}]}]}""", "messages[1].content[1]" },
        { """{"model":"op:chat","messages":[{"role":"user","content":"hi"},{"role":"user\u0000","content":"hi"}]}""", "messages[1].role" },
        { """{"model":"op:chat","messages":[{"role":"us\u0065r","content":"hi"},{"role":"bot","content":"hi"}]}""", "messages[1].role" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"n":100000}""", "n" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"stream":"yes"}""", "stream" },
        { $$$"""{"model":"op:chat","messages":{{{Hi}}},"stream_options":{"include_usage":"yes"}}""", "stream_options.include_usage" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"tools":"x"}""", "tools" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"tools":[{"type":"function","function":"f"}]}""", "tools[0].function" },
        { $$$"""{"model":"op:chat","messages":{{{Hi}}},"tools":[{"type":"function","function":{"name":"f"}},{"function":{"name":"g"}}]}""", "tools[1]" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"temperature":3}""", "temperature" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"top_p":"1"}""", "top_p" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"stop":[1]}""", "stop" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"stop":["a","b","c","d","e"]}""", "stop" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"response_format":"json"}""", "response_format" },
        { $$$"""{"model":"op:chat","messages":{{{Hi}}},"logit_bias":{"1":"x"}}""", "logit_bias" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"user":42}""", "user" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"user":"{{new string('u', 257)}}"}""", "user" },
        { $$"""{"model":"op:chat","messages":{{Hi}},"user":"a\u0007b"}""", "user" },
        { $$"""{"model":42,"messages":{{Hi}}}""", "model" },
        { $$"""{"model":"op:ch\u00e4t","messages":{{Hi}}}""", "model" },
        { $$"""{"model":"op:chat\u0000","messages":{{Hi}}}""", "model" },
        { $$"""{"model":"op:c\nhat","messages":{{Hi}}}""", "model" },
        { $$"""{"model":"op:{{new string('c', 65)}}","messages":{{Hi}}}""", "model" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task ChatCompletions_SchemaInvalid_Answers400NamingTheFieldAndChangesNothing(string body, string param)
    {
        await AssertRefusedAsync(new StringContent(body, Encoding.UTF8, "application/json"), param);
    }

    public static TheoryData<string, byte[]> InvalidBytes => new()
    {
        { "duplicate key", Encoding.UTF8.GetBytes($$"""{"model":"op:chat","model":"op:agent","messages":{{Hi}}}""") },
        { "duplicate nested key", Encoding.UTF8.GetBytes("""{"model":"op:chat","messages":[{"role":"user","role":"system","content":"hi"}]}""") },
        { "invalid UTF-8", [.. Encoding.UTF8.GetBytes("""{"model":"op:chat","messages":[{"role":"user","content":"""), (byte)'"', 0xC3, 0x28, (byte)'"', .. "}]}"u8.ToArray()] },
        { "overlong UTF-8", [.. Encoding.UTF8.GetBytes("""{"model":"op:chat","messages":[{"role":"user","content":"""), (byte)'"', 0xC0, 0xAF, (byte)'"', .. "}]}"u8.ToArray()] },
        { "lone high surrogate", Encoding.UTF8.GetBytes("""{"model":"op:chat","messages":[{"role":"user","content":"a\ud800b"}]}""") },
        { "lone low surrogate in a key", Encoding.UTF8.GetBytes("""{"model":"op:chat","messages":[{"role":"user","content":"hi","\udc00":1}]}""") },
        { "raw control character", Encoding.UTF8.GetBytes("{\"model\":\"op:chat\",\"messages\":[{\"role\":\"user\",\"content\":\"a\u0001b\"}]}") },
    };

    [Theory]
    [MemberData(nameof(InvalidBytes))]
    public async Task ChatCompletions_MalformedBytes_Answers400AndChangesNothing(string name, byte[] body)
    {
        Assert.NotNull(name);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await AssertRefusedAsync(content, param: null);
    }

    [Theory]
    [InlineData("ch\u00e4t")]
    [InlineData("chat\u0001")]
    [InlineData("chat x")]
    public async Task ChatCompletions_OperationHeaderNotAName_Answers400BeforeAnyHeaderIsWritten(string operation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"messages":{{Hi}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Helix-Operation", operation);

        using var response = await _factory.CreateClient().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await Json.ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ChatCompletions_EscapedSurrogatePair_IsValidAndServed()
    {
        using var response = await _factory.CreateClient().PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"op:chat","messages":[{"role":"user","content":"smile \ud83d\ude00"}],"user":"surrogate-pair"}""",
            Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_TypedFieldsWithinTheSchema_AreServed()
    {
        using var response = await _factory.CreateClient().PostAsync("/v1/chat/completions", new StringContent(
            """
            {"model":"op:chat","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"hi"}]}],
             "max_tokens":1,"n":1,"temperature":0.5,"top_p":1,"stop":["x"],"stream":false,"seed":7,"user":"typed",
             "tools":[{"type":"function","function":{"name":"f","parameters":{}}}],"tool_choice":"auto","response_format":{"type":"text"},
             "stream_options":null,"metadata":{"k":"v"},"logit_bias":{"50256":-100},"an_unknown_field":{"kept":true}}
            """, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_StreamBrokenByTheProvider_EndsWithAnOpenAIErrorEvent()
    {
        // Tests of a class run one at a time, so the shared simulator's fault is seen by this test alone.
        _factory.Simulator.SetBehavior("deepseek", "deepseek-v4-flash", new SimulatorBehavior { Fault = SimulatorFault.CutStream });
        string text;
        try
        {
            using var response = await _factory.CreateClient().PostAsJsonAsync("/v1/chat/completions", new
            {
                model = "op:chat",
                messages = new[] { new { role = "user", content = "cut me" } },
                stream = true,
            }, Ct);
            text = await response.Content.ReadAsStringAsync(Ct);
        }
        finally
        {
            _factory.Simulator.RemoveBehavior("deepseek", "deepseek-v4-flash");
        }

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var last = JsonDocument.Parse(events[^1]["data: ".Length..]).RootElement;
        Assert.Equal(["error"], last.EnumerateObject().Select(p => p.Name));
        var error = last.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal("upstream_unavailable", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    private async Task AssertRefusedAsync(HttpContent content, string? param)
    {
        var admin = _factory.CreateAdminClient();
        var logBefore = (await Json.LogsAsync(admin)).Length;
        var ledgerBefore = _factory.Simulator.Ledger.Count;

        using var response = await _factory.CreateClient().PostAsync("/v1/chat/completions", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Helix-Operation"));
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("invalid_request", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }

        Assert.Equal(logBefore, (await Json.LogsAsync(admin)).Length);
        Assert.Equal(ledgerBefore, _factory.Simulator.Ledger.Count);
    }
}
