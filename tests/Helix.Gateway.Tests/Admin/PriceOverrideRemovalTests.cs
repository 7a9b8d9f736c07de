using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.Admin;

/// <summary><c>DELETE /admin/api/prices/overrides/{model}</c>: the built-in price applies again from the next call.</summary>
public sealed class PriceOverrideRemovalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<decimal> CallCostAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Price me." } },
        }, Ct);
        response.EnsureSuccessStatusCode();
        return decimal.Parse(response.Headers.GetValues("X-Helix-Cost-Usd").Single(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Delete_Override_RestoresTheBuiltInPrice_AndUnknownOverrideIs404()
    {
        using var factory = new GatewayFactory();
        var http = factory.CreateClient();
        var admin = factory.CreateAdminClient();
        var builtIn = await CallCostAsync(http);
        using var put = await admin.PutAsync("/admin/api/prices/overrides", new StringContent("""
            {"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"negotiated contract","sourceDate":"2026-11-01",
              "rates":{"input":1.40,"cacheRead":0.028,"output":2.80}}]}]}
            """, Encoding.UTF8, "application/json"), Ct);
        put.EnsureSuccessStatusCode();
        var overridden = await CallCostAsync(http);

        using var removed = await admin.DeleteAsync("/admin/api/prices/overrides/deepseek/deepseek-v4-flash", Ct);
        var restored = await CallCostAsync(http);
        using var again = await admin.DeleteAsync("/admin/api/prices/overrides/deepseek-v4-flash", Ct);

        Assert.Equal(builtIn * 10m, overridden);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal("deepseek/deepseek-v4-flash", (await Json.ReadAsync(removed)).GetProperty("removed").GetString());
        Assert.Equal(builtIn, restored);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Delete_BareModelId_FindsTheOverride()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        using var put = await admin.PutAsync("/admin/api/prices/overrides", new StringContent("""
            {"models":[{"provider":"gemini","model":"gemini-2.5-flash","prices":[{"source":"test","sourceDate":"2026-11-01","rates":{"input":1,"output":2}}]}]}
            """, Encoding.UTF8, "application/json"), Ct);
        put.EnsureSuccessStatusCode();

        using var removed = await admin.DeleteAsync("/admin/api/prices/overrides/gemini-2.5-flash", Ct);

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        var prices = await Json.ReadAsync(await admin.GetAsync("/admin/api/prices?provider=gemini&model=gemini-2.5-flash", Ct));
        Assert.DoesNotContain(prices.GetProperty("models")[0].GetProperty("prices").EnumerateArray(), p => p.GetProperty("source").GetString() == "test");
        Assert.Equal(JsonValueKind.String, prices.GetProperty("models")[0].GetProperty("prices")[0].GetProperty("rates").GetProperty("input").ValueKind);
    }

    [Fact]
    public async Task Logs_ItemWithoutUser_CarriesUserNull()
    {
        using var factory = new GatewayFactory();
        await CallCostAsync(factory.CreateClient());

        var row = Assert.Single(await Json.LogsAsync(factory.CreateAdminClient()));

        Assert.Equal(JsonValueKind.Null, row.GetProperty("user").ValueKind);
    }
}
