using Xunit;

namespace Helix.Gateway.Tests.Hosting;

/// <summary>The OpenAPI document describes request and response bodies and the bearer scheme of the admin API and /v1.</summary>
public sealed class OpenApiDocumentTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public OpenApiDocumentTests(GatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task Document_HasSchemasAndTheBearerScheme()
    {
        var document = await Json.ReadAsync(await _factory.CreateClient().GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken));

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var paths = document.GetProperty("paths");
        var chat = paths.GetProperty("/v1/chat/completions").GetProperty("post");
        Assert.True(chat.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        Assert.True(chat.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        Assert.True(chat.GetProperty("responses").GetProperty("404").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        // A key on /v1 (the bearer requirement), or none while no app key exists (the empty requirement).
        foreach (var v1 in (string[])["/v1/chat/completions", "/v1/embeddings", "/v1/feedback"])
        {
            var security = paths.GetProperty(v1).GetProperty("post").GetProperty("security");
            Assert.Equal(2, security.GetArrayLength());
            Assert.True(security[0].TryGetProperty("bearer", out _));
            Assert.Empty(security[1].EnumerateObject());
        }

        Assert.True(paths.GetProperty("/v1/models").GetProperty("get").GetProperty("security")[0].TryGetProperty("bearer", out _));
        var routes = paths.GetProperty("/admin/api/routes");
        Assert.True(routes.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        Assert.True(routes.GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        Assert.True(routes.GetProperty("get").GetProperty("security")[0].TryGetProperty("bearer", out _));
        Assert.True(paths.GetProperty("/admin/api/logs").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        var editKey = paths.GetProperty("/admin/api/keys/{id}").GetProperty("patch");
        Assert.True(editKey.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        Assert.True(editKey.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").TryGetProperty("schema", out _));
        Assert.True(editKey.GetProperty("responses").TryGetProperty("404", out _));
        Assert.True(editKey.GetProperty("responses").TryGetProperty("409", out _));
        var components = document.GetProperty("components").GetProperty("schemas");
        Assert.True(components.TryGetProperty("RouteItem", out _));
    }
}
