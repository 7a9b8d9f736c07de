using System.Net;
using System.Net.Http.Json;
using System.Text;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>Bad input gets a 4xx in the OpenAI error shape, reaches no provider and is not logged as a call.</summary>
public sealed class BadInputTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public BadInputTests(GatewayFactory factory) => _factory = factory;

    public static TheoryData<string, HttpStatusCode, string> Cases => new()
    {
        { "{not json", HttpStatusCode.BadRequest, "invalid_request" },
        { "[1,2,3]", HttpStatusCode.BadRequest, "invalid_request" },
        { "", HttpStatusCode.BadRequest, "invalid_request" },
        { """{"model":"op:chat"}""", HttpStatusCode.BadRequest, "invalid_request" },
        { """{"model":"op:chat","messages":[]}""", HttpStatusCode.BadRequest, "invalid_request" },
        { """{"messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest, "invalid_request" },
        { """{"model":"op:no-such-operation","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.NotFound, "unknown_operation" },
        { """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.NotFound, "unknown_operation" },
        { """{"model":"op:audio-transcription","messages":[{"role":"user","content":"hi"}]}""", HttpStatusCode.BadRequest, "operation_modality_mismatch" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ChatCompletions_BadInput_AnswersOpenAIErrorAndLogsNothing(string body, HttpStatusCode status, string code)
    {
        var http = _factory.CreateClient();
        var before = (await Json.LogsAsync(_factory.CreateAdminClient())).Length;
        var ledgerBefore = _factory.Simulator.Ledger.Count;

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.Equal(before, (await Json.LogsAsync(_factory.CreateAdminClient())).Length);
        Assert.Equal(ledgerBefore, _factory.Simulator.Ledger.Count);
    }

    [Fact]
    public async Task ChatCompletions_BodyOverTheLimit_Answers413()
    {
        var http = _factory.CreateClient();
        var huge = new string('x', 70_000);

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = huge } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("invalid_request", (await Json.ReadAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ChatCompletions_BodyWithoutLengthLargerThanTheFirstBuffer_IsReadWhole()
    {
        var http = _factory.CreateClient();
        // About 31 KB, sent chunked: the reader starts with a small buffer and must grow it several times.
        var text = string.Concat(Enumerable.Repeat("all work and no play ", 1500));
        using var content = JsonContent.Create(new { model = "op:chat", max_tokens = 8, messages = new[] { new { role = "user", content = text } } });
        Assert.Null(content.Headers.ContentLength);

        using var response = await http.PostAsync("/v1/chat/completions", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var row = (await Json.LogsAsync(_factory.CreateAdminClient())).Single(r => r.GetProperty("requestId").GetString() == requestId);
        Assert.Equal("success", row.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ChatCompletions_OperationHeader_WinsOverTheModelField()
    {
        var http = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "anything", messages = new[] { new { role = "user", content = "hi" } }, user = "alice" }),
        };
        request.Headers.Add("X-Helix-Operation", "sentiment-analysis");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sentiment-analysis", response.Headers.GetValues("X-Helix-Operation").Single());
        var rows = await Json.LogsAsync(_factory.CreateAdminClient(), "user=alice");
        Assert.Contains(rows, r => r.GetProperty("operation").GetString() == "sentiment-analysis");
    }
}
