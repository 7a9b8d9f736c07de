using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Xunit;

namespace Helix.Gateway.Tests.Admin;

/// <summary>Prices change at run time: overrides, a LiteLLM import (planned, then applied) and re-pricing of past calls.</summary>
public sealed class PriceApiTests
{
    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<(string RequestId, decimal Cost)> CallAsync(HttpClient http, string operation)
    {
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = $"op:{operation}",
            messages = new[] { new { role = "user", content = "Price me." } },
        }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (response.Headers.GetValues("X-Helix-Request-Id").Single(),
            decimal.Parse(response.Headers.GetValues("X-Helix-Cost-Usd").Single(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Override_ChangesThePriceOfTheNextCall_AndRepricingRecordsAdjustmentsKeepingTheOriginal()
    {
        using var factory = new GatewayFactory();
        var http = factory.CreateClient();
        var admin = factory.CreateAdminClient();
        var (firstId, firstCost) = await CallAsync(http, "chat");

        using var put = await admin.PutAsync("/admin/api/prices/overrides", JsonBody("""
            {"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"negotiated contract","sourceDate":"2026-11-01",
              "rates":{"input":1.40,"cacheRead":0.028,"output":2.80}}]}]}
            """), TestContext.Current.CancellationToken);
        var (_, secondCost) = await CallAsync(http, "chat");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(firstCost * 10m, secondCost);
        var now = TimeProvider.System.GetUtcNow();
        using var reprice = await admin.PostAsJsonAsync("/admin/api/logs/reprice", new { from = now.AddHours(-1), to = now.AddHours(1) }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, reprice.StatusCode);
        var result = await Json.ReadAsync(reprice);
        Assert.Equal(1, result.GetProperty("changed").GetInt32());
        var first = Assert.Single(await Json.LogsAsync(admin), r => r.GetProperty("requestId").GetString() == firstId);
        Assert.Equal(firstCost.ToString(CultureInfo.InvariantCulture), first.GetProperty("costUsd").GetString());
        Assert.Equal(firstCost * 10m, decimal.Parse(first.GetProperty("repricedCostUsd").GetString()!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ConfiguredOverridesFile_PricesCallsAndAnAdminOverrideStillWins()
    {
        var file = Path.Combine(Path.GetTempPath(), $"helix-prices-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"config file","sourceDate":"2026-11-01",
              "rates":{"input":0,"cacheRead":0,"output":0}}]}]}
            """, TestContext.Current.CancellationToken);
        using var factory = new GatewayFactory();
        using var configured = factory.WithWebHostBuilder(b => b.UseSetting("Helix:PriceOverridesFile", file));
        var http = configured.CreateClient();
        var admin = configured.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFactory.AdminKey);

        var (_, fromFile) = await CallAsync(http, "chat");
        using var put = await admin.PutAsync("/admin/api/prices/overrides", JsonBody("""
            {"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"admin","sourceDate":"2026-11-02",
              "rates":{"input":1,"cacheRead":1,"output":1}}]}]}
            """), TestContext.Current.CancellationToken);
        var (_, fromAdmin) = await CallAsync(http, "chat");

        Assert.Equal(0m, fromFile);
        Assert.True(fromAdmin > 0m);
        File.Delete(file);
    }

    [Theory]
    [InlineData("""{"models":[{"provider":"openai","model":"x","prices":[{"rates":{"input":1}}]}]}""")]
    [InlineData("""{"models":[]}""")]
    [InlineData("not json")]
    public async Task Override_Invalid_Answers400AndChangesNothing(string body)
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();

        using var put = await admin.PutAsync("/admin/api/prices/overrides", JsonBody(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var prices = await Json.ReadAsync(await admin.GetAsync("/admin/api/prices?provider=openai&model=x", TestContext.Current.CancellationToken));
        Assert.Equal(0, prices.GetProperty("models").GetArrayLength());
    }

    [Fact]
    public async Task Prices_ListsTheBuiltInBookWithSourcesAndDates()
    {
        using var factory = new GatewayFactory();

        var prices = await Json.ReadAsync(await factory.CreateAdminClient().GetAsync("/admin/api/prices?provider=gemini&model=gemini-2.5-flash", TestContext.Current.CancellationToken));

        var model = Assert.Single(prices.GetProperty("models").EnumerateArray());
        var period = model.GetProperty("prices")[0];
        Assert.False(string.IsNullOrWhiteSpace(period.GetProperty("source").GetString()));
        Assert.Equal("1", period.GetProperty("rates").GetProperty("inputAudio").GetString());
    }

    [Fact]
    public async Task Import_LiteLlmMap_PlansWithoutChangingThenAppliesOverrides()
    {
        var path = SharedReference("litellm_model_prices.json");
        if (path is null)
        {
            Assert.Skip("../shared/reference/litellm_model_prices.json is not beside the repository.");
        }

        // LiteLLM's whole map is over a megabyte: this gateway takes bodies up to the default limit, not the tests' 64 KB.
        using var factory = new GatewayFactory(
            Path.Combine(Path.GetTempPath(), "helix-gateway-tests", Guid.NewGuid().ToString("N")),
            ownsDirectory: true,
            new Dictionary<string, string> { ["Helix:MaxRequestBodyBytes"] = "16777216" });
        var admin = factory.CreateAdminClient();
        var map = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);

        using var plan = await admin.PostAsync("/admin/api/prices/import?format=litellm&apply=false", new ByteArrayContent(map), TestContext.Current.CancellationToken);
        var planned = await Json.ReadAsync(plan);
        var before = await Json.ReadAsync(await admin.GetAsync("/admin/api/prices?provider=openai&model=gpt-4o-transcribe", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        Assert.False(planned.GetProperty("applied").GetBoolean());
        var transcribe = Assert.Single(planned.GetProperty("changed").EnumerateArray(), m => m.GetProperty("model").GetString() == "gpt-4o-transcribe");
        var audio = Assert.Single(transcribe.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "inputAudio");
        Assert.Equal("6", audio.GetProperty("before").GetString());
        Assert.Equal("2.5", audio.GetProperty("after").GetString());
        Assert.Equal("6", before.GetProperty("models")[0].GetProperty("prices")[0].GetProperty("rates").GetProperty("inputAudio").GetString());

        using var apply = await admin.PostAsync("/admin/api/prices/import?format=litellm&apply=true", new ByteArrayContent(map), TestContext.Current.CancellationToken);
        var applied = await Json.ReadAsync(apply);
        var after = await Json.ReadAsync(await admin.GetAsync("/admin/api/prices?provider=openai&model=gpt-4o-transcribe", TestContext.Current.CancellationToken));

        Assert.True(applied.GetProperty("applied").GetBoolean());
        Assert.Contains(after.GetProperty("models")[0].GetProperty("prices").EnumerateArray(),
            p => p.GetProperty("rates").TryGetProperty("inputAudio", out var rate) && rate.GetString() == "2.5");
    }

    [Fact]
    public async Task Import_NotAPriceMap_Answers400()
    {
        using var factory = new GatewayFactory();

        using var response = await factory.CreateAdminClient().PostAsync("/admin/api/prices/import?format=litellm", JsonBody("[1,2"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string? SharedReference(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Helix.slnx")))
        {
            directory = directory.Parent;
        }

        var path = directory is null ? null : Path.Combine(directory.FullName, "..", "shared", "reference", name);
        return path is not null && File.Exists(path) ? path : null;
    }
}
