using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.Admin;

/// <summary>The admin API: authentication before any body is read, every error a ProblemDetails, bad prices refused by name.</summary>
public sealed class AdminHardeningTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public AdminHardeningTests(GatewayFactory factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("PUT", "/admin/api/routes/chat")]
    [InlineData("PUT", "/admin/api/prices/overrides")]
    [InlineData("POST", "/admin/api/logs/reprice")]
    [InlineData("POST", "/admin/api/prices/import")]
    public async Task Unauthenticated_MalformedBody_Gets401NotAParseError(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonBody("{not json") };

        using var response = await _factory.CreateClient().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertProblemAsync(response, 401);
    }

    public static TheoryData<string, string, string, int> Refused => new()
    {
        { "PUT", "/admin/api/prices/overrides", """{"models":[null]}""", 400 },
        { "PUT", "/admin/api/prices/overrides", """{"models":null}""", 400 },
        { "PUT", "/admin/api/prices/overrides", """{"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[null]}]}""", 400 },
        { "PUT", "/admin/api/prices/overrides", """{"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"s","sourceDate":"2026-11-01","rates":{"input":-1,"output":1}}]}]}""", 400 },
        { "PUT", "/admin/api/prices/overrides", """{"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"s","sourceDate":"2026-11-01","rates":{"input":7.9e28,"output":1}}]}]}""", 400 },
        { "PUT", "/admin/api/prices/overrides", """{"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"s","sourceDate":"2026-11-01","rates":{"input":1e400}}]}]}""", 400 },
        { "PUT", "/admin/api/prices/overrides", """{"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"s","sourceDate":"2026-11-01","rates":{"input":1},"timeWindows":[null]}]}]}""", 400 },
        { "PUT", "/admin/api/prices/overrides", """{"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"s","sourceDate":"2026-11-01","rates":{"input":1},"serviceTiers":{"batch":{"multiplier":-2}}}]}]}""", 400 },
        { "PUT", "/admin/api/prices/overrides", """{"models":[],"models":[]}""", 400 },
        { "PUT", "/admin/api/routes/chat", """{"unknownPricePolicy":"1"}""", 400 },
        { "PUT", "/admin/api/routes/chat", """{"unknownPricePolicy":"Flag, Block"}""", 400 },
        { "PUT", "/admin/api/routes/chat", """{"unknownPricePolicy":"block","unknownPricePolicy":"flag"}""", 400 },
        { "PUT", "/admin/api/routes/chat", """{"primaryModel":7}""", 400 },
        { "POST", "/admin/api/logs/reprice", """{"from":"abc","to":"2026-01-01T00:00:00Z"}""", 400 },
        { "POST", "/admin/api/logs/reprice", """{"from":"0001-01-01T00:00:00Z","to":"9999-12-31T23:59:59Z"}""", 400 },
        { "POST", "/admin/api/reconciliations?provider=openai", """{"data":[{"start_time":99999999999999999,"end_time":99999999999999999,"results":[]}]}""", 400 },
        { "POST", "/admin/api/reconciliations?provider=openai", """{"data":[{"start_time":-99999999999999,"end_time":0,"results":[]}]}""", 400 },
        { "POST", "/admin/api/reconciliations?provider=openai", "[1,2", 400 },
        { "GET", "/admin/api/no-such-endpoint", "", 404 },
        { "DELETE", "/admin/api/routes", "", 405 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task BadAdminRequest_GetsAProblemDetailsAndChangesNothing(string method, string path, string body, int status)
    {
        var admin = _factory.CreateAdminClient();
        var prices = await admin.GetStringAsync("/admin/api/prices", Ct);
        var routes = await admin.GetStringAsync("/admin/api/routes", Ct);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0)
        {
            request.Content = JsonBody(body);
        }

        using var response = await admin.SendAsync(request, Ct);

        Assert.Equal(status, (int)response.StatusCode);
        await AssertProblemAsync(response, status);
        Assert.Equal(prices, await admin.GetStringAsync("/admin/api/prices", Ct));
        Assert.Equal(routes, await admin.GetStringAsync("/admin/api/routes", Ct));
    }

    [Fact]
    public async Task PriceOverrides_SeveralBadEntries_ReportsEachOne()
    {
        using var response = await _factory.CreateAdminClient().PutAsync("/admin/api/prices/overrides", JsonBody("""
            {"models":[null,{"provider":"openai","model":"gpt-4o","prices":[{"source":"s","sourceDate":"2026-11-01","rates":{"input":-1,"output":2000000}}]}]}
            """), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var refused = (await Json.ReadAsync(response)).GetProperty("refused").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(3, refused.Length);
        Assert.StartsWith("models[0]", refused[0], StringComparison.Ordinal);
        Assert.Contains("rates.input is -1", refused[1], StringComparison.Ordinal);
        Assert.Contains("rates.output is 2000000", refused[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiteLlmImport_RateOverflowingADecimalAndHugeTierThreshold_AreRefusedByNameAndNothingApplies()
    {
        var admin = _factory.CreateAdminClient();
        var prices = await admin.GetStringAsync("/admin/api/prices", Ct);

        using var response = await admin.PostAsync("/admin/api/prices/import?apply=true", JsonBody("""
            {"gpt-4o":{"litellm_provider":"openai","input_cost_per_token":1e25,"output_cost_per_token":0.00001},
             "gpt-4.1":{"litellm_provider":"openai","input_cost_per_token":0.000002,"output_cost_per_token":0.000008,
               "input_cost_per_token_above_7766279631452240k_tokens":0.000004}}
            """), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await Json.ReadAsync(response);
        var refused = plan.GetProperty("refused").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains(refused, r => r.StartsWith("openai/gpt-4o: rates.input", StringComparison.Ordinal));
        Assert.Contains(refused, r => r.StartsWith("openai/gpt-4.1: longContext.thresholdPromptTokens", StringComparison.Ordinal));
        Assert.False(plan.GetProperty("applied").GetBoolean());
        Assert.Equal(prices, await admin.GetStringAsync("/admin/api/prices", Ct));
    }

    [Fact]
    public async Task LiteLlmImport_InvalidUtf8_Gets400()
    {
        var content = new ByteArrayContent([.. "{\"gpt-4o\":{\"litellm_provider\":\"openai\",\"x\":\""u8.ToArray(), 0xFF, 0xFE, .. "\"}}"u8.ToArray()]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _factory.CreateAdminClient().PostAsync("/admin/api/prices/import", content, Ct);

        await AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task BodyOverTheLimit_Gets413ProblemDetails()
    {
        using var response = await _factory.CreateAdminClient().PutAsync("/admin/api/prices/overrides",
            JsonBody("{\"models\":[],\"pad\":\"" + new string('x', 70_000) + "\"}"), Ct);

        await AssertProblemAsync(response, 413);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.String, problem.GetProperty("title").ValueKind);
    }
}
