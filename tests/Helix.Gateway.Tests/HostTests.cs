using System.Net;
using Xunit;

namespace Helix.Gateway.Tests;

public sealed class HostTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public HostTests(GatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task Healthz_Answers200()
    {
        using var response = await _factory.CreateClient().GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheDataPlaneAndTheAdminApi()
    {
        var document = await Json.ReadAsync(await _factory.CreateClient().GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken));

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/chat/completions", out _));
        Assert.True(paths.TryGetProperty("/admin/api/logs", out _));
        Assert.True(paths.TryGetProperty("/admin/api/routes/{operation}", out _));
    }

    [Fact]
    public async Task Models_ListsOperationsAsOpModels()
    {
        var body = await Json.ReadAsync(await _factory.CreateClient().GetAsync("/v1/models", TestContext.Current.CancellationToken));

        Assert.Equal("list", body.GetProperty("object").GetString());
        var ids = body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray();
        Assert.Contains("op:chat", ids);
        Assert.Contains("op:video-understanding", ids);
        Assert.All(body.GetProperty("data").EnumerateArray(), m => Assert.Equal("helix", m.GetProperty("owned_by").GetString()));
    }
}
