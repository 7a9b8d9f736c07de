using System.Net.Http.Headers;
using System.Text;
using Helix.Providers.Tests.OpenApi;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>Every error Helix writes on <c>/v1</c> is a valid <c>ErrorResponse</c> of OpenAI's OpenAPI document.</summary>
public sealed class ErrorSchemaTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public ErrorSchemaTests(GatewayFactory factory) => _factory = factory;

    public static TheoryData<string, string, string?, string?> Requests => new()
    {
        { "POST", "/v1/chat/completions", "{", "application/json" },
        { "POST", "/v1/chat/completions", """{"model":"op:no-such-operation","messages":[{"role":"user","content":"x"}]}""", "application/json" },
        { "POST", "/v1/chat/completions", """{"model":"op:chat","messages":[{"role":"user","content":"x"}],"max_tokens":-1}""", "application/json" },
        { "POST", "/v1/chat/completions", """{"model":"op:chat","model":"op:chat","messages":[]}""", "application/json" },
        { "POST", "/v1/embeddings", """{"model":"op:chat","input":"x"}""", "application/json" },
        { "POST", "/v1/embeddings", """{"model":"op:embeddings"}""", "application/json" },
        { "POST", "/v1/audio/speech", """{"model":"op:text-to-speech","input":"hi","voice":"nobody"}""", "application/json" },
        { "POST", "/v1/audio/transcriptions", """{"model":"op:audio-transcription"}""", "application/json" },
        { "GET", "/v1/no-such-endpoint", null, null },
        { "GET", "/v1/chat/completions", null, null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Error_IsAValidOpenAIErrorResponse(string method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }

        using var response = await _factory.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        OpenAISchemas.AssertValid("ErrorResponse", await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}
