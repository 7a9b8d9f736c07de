using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.Admin;

/// <summary>Operations belong to the admin: created, patched field by field, retired and created again, all in the history.</summary>
public sealed class RouteLifecycleTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public RouteLifecycleTests(GatewayFactory factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<HttpResponseMessage> CallAsync(string operation) =>
        _factory.CreateClient().PostAsJsonAsync("/v1/chat/completions", new
        {
            model = $"op:{operation}",
            messages = new[] { new { role = "user", content = "Draft a reply." } },
        }, Ct);

    [Fact]
    public async Task CreateRetireCreate_ServesThenAnswersUnknownOperationThenServesAgain_KeepingOneHistory()
    {
        var admin = _factory.CreateAdminClient();

        using var created = await admin.PostAsJsonAsync("/admin/api/routes", new
        {
            operation = "invoice-summary",
            primaryModel = "gemini/gemini-2.5-flash-lite",
            fallbackModels = new[] { "deepseek-v4-flash" },
            maxOutputTokens = 256,
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var route = await Json.ReadAsync(created);
        Assert.Equal("chat", route.GetProperty("modality").GetString());
        Assert.Equal("deepseek/deepseek-v4-flash", route.GetProperty("fallbackModels")[0].GetString());
        Assert.Equal(256, route.GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal(1, route.GetProperty("version").GetInt64());
        Assert.Equal("bootstrap-admin", route.GetProperty("updatedBy").GetString());
        using (var call = await CallAsync("invoice-summary"))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            Assert.Equal("gemini/gemini-2.5-flash-lite", call.Headers.GetValues("X-Helix-Model").Single());
        }

        using var retired = await admin.DeleteAsync("/admin/api/routes/invoice-summary", Ct);
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.True((await Json.ReadAsync(retired)).GetProperty("retired").GetBoolean());
        using (var call = await CallAsync("invoice-summary"))
        {
            Assert.Equal(HttpStatusCode.NotFound, call.StatusCode);
            Assert.Equal("unknown_operation", (await Json.ReadAsync(call)).GetProperty("error").GetProperty("code").GetString());
        }

        var routes = await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", Ct));
        Assert.DoesNotContain(routes.GetProperty("items").EnumerateArray(), r => r.GetProperty("operation").GetString() == "invoice-summary");
        using (var again = await admin.DeleteAsync("/admin/api/routes/invoice-summary", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        using var recreated = await admin.PostAsJsonAsync("/admin/api/routes", new { operation = "invoice-summary", primaryModel = "deepseek/deepseek-v4-flash" }, Ct);
        Assert.Equal(HttpStatusCode.Created, recreated.StatusCode);
        Assert.Equal(3, (await Json.ReadAsync(recreated)).GetProperty("version").GetInt64());
        using (var call = await CallAsync("invoice-summary"))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        var history = (await Json.ReadAsync(await admin.GetAsync("/admin/api/routes/invoice-summary/history", Ct))).GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([3L, 2L, 1L], history.Select(h => h.GetProperty("version").GetInt64()));
        Assert.Equal([false, true, false], history.Select(h => h.GetProperty("retired").GetBoolean()));
        Assert.All(history, h => Assert.Equal("bootstrap-admin", h.GetProperty("updatedBy").GetString()));
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("maxOutputTokens").ValueKind);
    }

    [Theory]
    [InlineData("Invoice", "invalid_operation_name")]
    [InlineData("bad_name", "invalid_operation_name")]
    [InlineData("-lead", "invalid_operation_name")]
    [InlineData("a--b", "invalid_operation_name")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "invalid_operation_name")]
    [InlineData("chat", "conflict")]
    public async Task Create_BadOrTakenName_IsRefusedAndChangesNothing(string operation, string title)
    {
        var admin = _factory.CreateAdminClient();
        var before = (await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", Ct))).GetProperty("items").GetArrayLength();

        using var response = await admin.PostAsJsonAsync("/admin/api/routes", new { operation, primaryModel = "deepseek/deepseek-v4-flash" }, Ct);

        Assert.Equal(title == "conflict" ? HttpStatusCode.Conflict : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await Json.ReadAsync(response)).GetProperty("title").GetString());
        Assert.Equal(before, (await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", Ct))).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"operation":"x1","primaryModel":"nobody/none"}""")]
    [InlineData("""{"operation":"x2","primaryModel":"deepseek/deepseek-v4-flash","fallbackModels":["openai/tts-1"]}""")]
    [InlineData("""{"operation":"x3","primaryModel":"deepseek/deepseek-v4-flash","maxOutputTokens":0}""")]
    [InlineData("""{"operation":"x4","primaryModel":"deepseek/deepseek-v4-flash","maxOutputTokens":1000001}""")]
    [InlineData("""{"operation":"x5","primaryModel":"deepseek/deepseek-v4-flash","modality":"video"}""")]
    [InlineData("""{"operation":"x6"}""")]
    [InlineData("""{"operation":"x7","primaryModel":"deepseek/deepseek-v4-flash","modality":"Embeddings, Transcription"}""")]
    public async Task Create_BadModelCapOrModality_Answers400AndCreatesNothing(string body)
    {
        var admin = _factory.CreateAdminClient();
        var operation = JsonDocument.Parse(body).RootElement.GetProperty("operation").GetString();

        using var response = await admin.PostAsync("/admin/api/routes", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var history = await admin.GetAsync($"/admin/api/routes/{operation}/history", Ct);
        Assert.Equal(HttpStatusCode.NotFound, history.StatusCode);
    }

    [Fact]
    public async Task Put_PrimaryOnly_KeepsTheFallbackChain()
    {
        var admin = _factory.CreateAdminClient();
        using var created = await admin.PostAsJsonAsync("/admin/api/routes", new
        {
            operation = "keep-chain",
            primaryModel = "deepseek/deepseek-v4-flash",
            fallbackModels = new[] { "gemini/gemini-2.5-flash", "openai/gpt-4.1-mini" },
        }, Ct);
        created.EnsureSuccessStatusCode();

        using var put = await admin.PutAsJsonAsync("/admin/api/routes/keep-chain", new { primaryModel = "deepseek/deepseek-v4-pro" }, Ct);
        using var fallbacksOnly = await admin.PutAsJsonAsync("/admin/api/routes/keep-chain", new { fallbackModels = new[] { "openai/gpt-4.1-mini" } }, Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var route = await Json.ReadAsync(put);
        Assert.Equal("deepseek/deepseek-v4-pro", route.GetProperty("primaryModel").GetString());
        Assert.Equal(["gemini/gemini-2.5-flash", "openai/gpt-4.1-mini"], route.GetProperty("fallbackModels").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(HttpStatusCode.OK, fallbacksOnly.StatusCode);
        var after = await Json.ReadAsync(fallbacksOnly);
        Assert.Equal("deepseek/deepseek-v4-pro", after.GetProperty("primaryModel").GetString());
        Assert.Equal(["openai/gpt-4.1-mini"], after.GetProperty("fallbackModels").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(3, after.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Put_MaxOutputTokens_SetsKeepsAndRemovesTheCap()
    {
        var admin = _factory.CreateAdminClient();
        using var created = await admin.PostAsJsonAsync("/admin/api/routes", new { operation = "capped", primaryModel = "deepseek/deepseek-v4-flash" }, Ct);
        created.EnsureSuccessStatusCode();
        Assert.Equal(JsonValueKind.Null, (await Json.ReadAsync(created)).GetProperty("maxOutputTokens").ValueKind);

        using var set = await admin.PutAsync("/admin/api/routes/capped", new StringContent("""{"maxOutputTokens":512}""", Encoding.UTF8, "application/json"), Ct);
        using var kept = await admin.PutAsync("/admin/api/routes/capped", new StringContent("""{"unknownPricePolicy":"block"}""", Encoding.UTF8, "application/json"), Ct);
        using var zero = await admin.PutAsync("/admin/api/routes/capped", new StringContent("""{"maxOutputTokens":0}""", Encoding.UTF8, "application/json"), Ct);
        using var text = await admin.PutAsync("/admin/api/routes/capped", new StringContent("""{"maxOutputTokens":"many"}""", Encoding.UTF8, "application/json"), Ct);
        using var removed = await admin.PutAsync("/admin/api/routes/capped", new StringContent("""{"maxOutputTokens":null}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(512, (await Json.ReadAsync(set)).GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal(512, (await Json.ReadAsync(kept)).GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await Json.ReadAsync(removed)).GetProperty("maxOutputTokens").ValueKind);
        var routes = await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", Ct));
        var capped = routes.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("operation").GetString() == "capped");
        Assert.Equal(4, capped.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Put_EmptyBody_Answers400()
    {
        using var response = await _factory.CreateAdminClient().PutAsync("/admin/api/routes/chat", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
