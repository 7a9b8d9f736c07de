using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Helix.Gateway.Tests.Admin;

public sealed class AdminApiTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public AdminApiTests(GatewayFactory factory) => _factory = factory;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-wrong-key")]
    [InlineData("Basic dGVzdA==")]
    public async Task AdminApi_WithoutTheKey_Answers401ProblemDetails(string? authorization)
    {
        var http = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/api/routes");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Routes_ListsTheSeedOperationsWithTheirChains()
    {
        var body = await Json.ReadAsync(await _factory.CreateAdminClient().GetAsync("/admin/api/routes", TestContext.Current.CancellationToken));

        var routes = body.GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("operation").GetString()!);
        Assert.Equal(
            ["agent", "audio-transcription", "chat", "email-drafting", "embeddings", "memory-synthesis", "sentiment-analysis", "text-to-speech", "video-understanding"],
            routes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("deepseek/deepseek-v4-flash", routes["chat"].GetProperty("primaryModel").GetString());
        Assert.Equal("gemini/gemini-2.5-flash", routes["chat"].GetProperty("fallbackModels")[0].GetString());
        Assert.Equal("deepgram/nova-3", routes["audio-transcription"].GetProperty("primaryModel").GetString());
        Assert.All(routes.Values, r => Assert.NotEqual(0, r.GetProperty("fallbackModels").GetArrayLength()));
    }

    [Fact]
    public async Task PutRoute_UnknownModel_Answers400AndChangesNothing()
    {
        var admin = _factory.CreateAdminClient();

        using var response = await admin.PutAsJsonAsync("/admin/api/routes/sentiment-analysis", new { primaryModel = "nobody/no-model", fallbackModels = Array.Empty<string>() }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var routes = await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", TestContext.Current.CancellationToken));
        var route = routes.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("operation").GetString() == "sentiment-analysis");
        Assert.Equal("gemini/gemini-2.5-flash-lite", route.GetProperty("primaryModel").GetString());
    }

    [Fact]
    public async Task PutRoute_UnknownOperation_Answers404()
    {
        using var response = await _factory.CreateAdminClient().PutAsJsonAsync("/admin/api/routes/no-such-op", new { primaryModel = "gemini/gemini-2.5-flash" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PutRoute_ValidChange_TakesEffectOnTheNextCallWithoutRestart()
    {
        var admin = _factory.CreateAdminClient();
        var http = _factory.CreateClient();

        using var put = await admin.PutAsJsonAsync("/admin/api/routes/memory-synthesis", new { primaryModel = "openai/gpt-4.1-mini", fallbackModels = new[] { "gemini/gemini-2.5-flash" } }, TestContext.Current.CancellationToken);
        using var call = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:memory-synthesis",
            messages = new[] { new { role = "user", content = "Summarise our chat." } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var updated = await Json.ReadAsync(put);
        Assert.Equal(2, updated.GetProperty("version").GetInt64());
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("openai/gpt-4.1-mini", call.Headers.GetValues("X-Helix-Model").Single());
        var history = await Json.ReadAsync(await admin.GetAsync("/admin/api/routes/memory-synthesis/history", TestContext.Current.CancellationToken));
        Assert.Equal(2, history.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task PutRoute_UnknownPricePolicy_ChangesOnlyThePolicy()
    {
        var admin = _factory.CreateAdminClient();

        using var put = await admin.PutAsJsonAsync("/admin/api/routes/video-understanding", new { unknownPricePolicy = "block" }, TestContext.Current.CancellationToken);
        using var bad = await admin.PutAsJsonAsync("/admin/api/routes/video-understanding", new { unknownPricePolicy = "ignore" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var route = await Json.ReadAsync(put);
        Assert.Equal("block", route.GetProperty("unknownPricePolicy").GetString());
        Assert.Equal("gemini/gemini-2.5-pro", route.GetProperty("primaryModel").GetString());
        Assert.Equal("openai/gpt-4.1", route.GetProperty("fallbackModels")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Logs_PagesNewestFirstWithACursor()
    {
        var http = _factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var call = await http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = "op:agent",
                user = "pager",
                messages = new[] { new { role = "user", content = $"call {i}" } },
            }, TestContext.Current.CancellationToken);
            call.EnsureSuccessStatusCode();
        }

        var admin = _factory.CreateAdminClient();
        var first = await Json.ReadAsync(await admin.GetAsync("/admin/api/logs?user=pager&limit=2", TestContext.Current.CancellationToken));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await Json.ReadAsync(await admin.GetAsync($"/admin/api/logs?user=pager&limit=2&cursor={cursor}", TestContext.Current.CancellationToken));

        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(r => r.GetProperty("id").GetInt64()).ToArray();
        Assert.Equal(3, ids.Length);
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("limit=5000")]
    [InlineData("cursor=-4")]
    public async Task Logs_BadQuery_Answers400ProblemDetails(string query)
    {
        using var response = await _factory.CreateAdminClient().GetAsync($"/admin/api/logs?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Models_ListTheCatalogWithPriceStatus()
    {
        var body = await Json.ReadAsync(await _factory.CreateAdminClient().GetAsync("/admin/api/models", TestContext.Current.CancellationToken));

        var flash = body.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "deepseek/deepseek-v4-flash");
        Assert.True(flash.GetProperty("priced").GetBoolean());
    }
}
