using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>Every answer under <c>/v1</c>, even to a path or method Helix does not serve, is in OpenAI's error shape.</summary>
public sealed class UnservedPathTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public UnservedPathTests(GatewayFactory factory) => _factory = factory;

    [Theory]
    [InlineData("GET", "/v1/no-such-endpoint", HttpStatusCode.NotFound, "not_found")]
    [InlineData("POST", "/v1/completions", HttpStatusCode.NotFound, "not_found")]
    [InlineData("GET", "/v1/chat/completions", HttpStatusCode.MethodNotAllowed, "invalid_request")]
    [InlineData("DELETE", "/v1/models", HttpStatusCode.MethodNotAllowed, "invalid_request")]
    public async Task UnservedPathOrMethod_AnswersTheOpenAIErrorShape(string method, string path, HttpStatusCode status, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await _factory.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    [Fact]
    public async Task PipelineError_CarriesParamAsNull()
    {
        using var response = await _factory.CreateClient().PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:no-such-operation",
            messages = new[] { new { role = "user", content = "hi" } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("unknown_operation", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    [Fact]
    public async Task UnknownPathOutsideV1_IsNotAnOpenAIError()
    {
        using var response = await _factory.CreateClient().GetAsync("/no-such-page", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
