using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Gateway.Tests.Access;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Intelligence;

/// <summary>Off-peak price windows and rising prices: recommendations whose figures are the savings calculator's, to the cent.</summary>
public sealed class PriceWindowAndRisingPriceTests
{
    private const string Operation = "email-drafting";
    private const string Current = "gemini/gemini-2.5-flash";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PriceWindow_CallsOutsideACheaperWindow_RecommendedWithTheCalculatorsSavings_NotApplicable_AndNotWhenStreamed()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();

        // No model in force today has a window: an override gives the current model a half-price window from 02:00 to
        // 05:00 UTC, while every seeded call ran between 11:20 and 12:00 UTC (SeedAsync), so all of them ran outside it.
        var start = new TimeOnly(2, 0);
        var end = start.AddHours(3);
        await PutOverrideAsync(admin, $$$"""
            {"models":[{"provider":"gemini","model":"gemini-2.5-flash","prices":[{"source":"test off-peak","sourceDate":"2026-11-01",
              "rates":{"input":0.3,"cacheRead":0.03,"output":2.5},"serviceTiers":{"batch":{"multiplier":0.5}},
              "timeWindows":[{"startUtc":"{{{start:HH\:mm}}}","endUtc":"{{{end:HH\:mm}}}","rates":{"input":0.15,"cacheRead":0.015,"output":1.25}}]}]}]}
            """);
        var rows = await SavingsAndRecommendationTests.SeedAsync(factory, 40);

        var items = await RefreshAsync(admin);
        var recommendation = items.Single(r => r.GetProperty("kind").GetString() == "price_window" && r.GetProperty("operation").GetString() == Operation);
        Assert.Contains(items, r => r.GetProperty("kind").GetString() == "batch" && r.GetProperty("operation").GetString() == Operation);
        var savings = await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={Uri.EscapeDataString(Current)}&inPriceWindow=true", Ct));

        Assert.Equal(Current, recommendation.GetProperty("model").GetString());
        Assert.Equal(savings.GetProperty("projectedMonthlySavingsUsd").GetString(), recommendation.GetProperty("projectedMonthlySavingsUsd").GetString());
        var expected = ExpectedInWindow(factory, rows, start);
        Assert.True(expected > 0);
        Assert.Equal(expected, Dec(savings.GetProperty("totals").GetProperty("savingsUsd")));
        Assert.Equal(Math.Round(expected * 30m / 30m, 2), Math.Round(Dec(recommendation.GetProperty("projectedMonthlySavingsUsd")), 2));
        var evidence = recommendation.GetProperty("evidence");
        Assert.Equal(start.ToString("HH:mm", CultureInfo.InvariantCulture), evidence.GetProperty("windows")[0].GetProperty("startUtc").GetString());
        Assert.Equal("0.15", evidence.GetProperty("windows")[0].GetProperty("rates").GetProperty("input").GetString());
        Assert.Equal(40, evidence.GetProperty("callsOutsideWindow").GetInt64());
        Assert.Equal("1", evidence.GetProperty("shareOutsideWindow").GetString());
        Assert.Equal(0, evidence.GetProperty("streamedCalls").GetInt64());
        Assert.False(evidence.GetProperty("latencyBound").GetBoolean());
        Assert.Equal(40, savings.GetProperty("perOperation")[0].GetProperty("callsOutsideCheapestWindow").GetInt64());
        Assert.True(savings.GetProperty("perOperation")[0].GetProperty("inPriceWindow").GetBoolean());

        // The calculator without the option prices the same calls at their own times: nothing saved.
        var atOwnTimes = await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={Uri.EscapeDataString(Current)}", Ct));
        Assert.Equal(0m, Dec(atOwnTimes.GetProperty("totals").GetProperty("savingsUsd")));

        // Callers must move their calls: no route setting holds a time of day.
        using var apply = await admin.PostAsync($"/admin/api/recommendations/{recommendation.GetProperty("id").GetString()}/apply", null, Ct);
        await AssertProblemAsync(apply, HttpStatusCode.Conflict, "not_applicable");

        // One streamed call makes the operation latency-bound: neither a window nor the batch tier is recommended.
        await factory.Services.GetRequiredService<IOperationLogStore>().AppendAsync([rows[0] with { RequestId = "streamed-1", Streamed = true }], Ct);
        var after = await RefreshAsync(admin);
        Assert.DoesNotContain(after, r => r.GetProperty("operation").GetString() == Operation && r.GetProperty("kind").GetString() is "price_window" or "batch");
        var streamed = await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={Uri.EscapeDataString(Current)}&inPriceWindow=true", Ct));
        Assert.Equal(1, streamed.GetProperty("perOperation")[0].GetProperty("streamedCalls").GetInt64());
    }

    [Fact]
    public async Task PriceWindow_MostCallsAlreadyInTheWindow_NotRecommended()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();

        // The window covers the hours the seeded calls ran in (11:20 to 12:00 UTC, SeedAsync).
        var start = new TimeOnly(10, 30);
        await PutOverrideAsync(admin, $$$"""
            {"models":[{"provider":"gemini","model":"gemini-2.5-flash","prices":[{"source":"test off-peak","sourceDate":"2026-11-01",
              "rates":{"input":0.3,"cacheRead":0.03,"output":2.5},
              "timeWindows":[{"startUtc":"{{{start:HH\:mm}}}","endUtc":"{{{start.AddHours(3):HH\:mm}}}","rates":{"input":0.15,"cacheRead":0.015,"output":1.25}}]}]}]}
            """);
        await SavingsAndRecommendationTests.SeedAsync(factory, 40);

        var items = await RefreshAsync(admin);

        Assert.DoesNotContain(items, r => r.GetProperty("kind").GetString() == "price_window");
        var savings = await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={Uri.EscapeDataString(Current)}&inPriceWindow=true", Ct));
        Assert.Equal(0, savings.GetProperty("perOperation")[0].GetProperty("callsOutsideCheapestWindow").GetInt64());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RisingPrice_RetireRecommended_WithTheIncreaseTheCalculatorComputes_AndAReplacement_AppliedOnApproval(bool scheduled)
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var decider = Keys.Client(factory, (await Keys.CreateAsync(admin, "approver", "operator")).Key);
        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var change = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(scheduled ? 7 : -5);
        var at = change.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await PutOverrideAsync(admin, $$$"""
            {"models":[{"provider":"gemini","model":"gemini-2.5-flash","prices":[
              {"effectiveUntil":"{{{at}}}","source":"old list price","sourceDate":"2026-06-01","rates":{"input":0.3,"cacheRead":0.03,"output":2.5}},
              {"effectiveFrom":"{{{at}}}","source":"new list price","sourceDate":"2026-11-20","rates":{"input":0.6,"cacheRead":0.06,"output":5}}]}]}
            """);
        await SavingsAndRecommendationTests.SeedAsync(factory, 40);

        var items = await RefreshAsync(admin);
        var recommendation = items.Single(r => r.GetProperty("kind").GetString() == "retire" && r.GetProperty("operation").GetString() == Operation);
        var evidence = recommendation.GetProperty("evidence");

        Assert.Equal(Current, recommendation.GetProperty("model").GetString());
        Assert.Equal("price_rising", evidence.GetProperty("trigger").GetString());
        Assert.Equal(scheduled, evidence.GetProperty("scheduled").GetBoolean());
        Assert.Equal("primary", evidence.GetProperty("position").GetString());
        Assert.Equal("0.3", evidence.GetProperty("oldPrice").GetProperty("rates").GetProperty("input").GetString());
        Assert.Equal("0.6", evidence.GetProperty("newPrice").GetProperty("rates").GetProperty("input").GetString());
        Assert.Equal(change, evidence.GetProperty("newPrice").GetProperty("effectiveFrom").GetDateTimeOffset());
        Assert.Equal(change, evidence.GetProperty("oldPrice").GetProperty("effectiveUntil").GetDateTimeOffset());

        // The increase is the calculator's: the same calls priced as of the old entry and as of the new one.
        var old = await SavingsAsync(admin, evidence.GetProperty("oldPrice").GetProperty("pricedAsOf").GetString()!);
        var risen = await SavingsAsync(admin, evidence.GetProperty("newPrice").GetProperty("pricedAsOf").GetString()!);
        var increase = Dec(risen.GetProperty("totals").GetProperty("candidateCostUsd")) - Dec(old.GetProperty("totals").GetProperty("candidateCostUsd"));
        Assert.True(increase > 0);
        Assert.Equal(increase, Dec(evidence.GetProperty("costIncreaseUsd")));
        Assert.Equal(increase * 30m / 30m, Dec(evidence.GetProperty("projectedMonthlyCostIncreaseUsd")));
        Assert.Equal(Dec(old.GetProperty("totals").GetProperty("candidateCostUsd")) * 2, Dec(risen.GetProperty("totals").GetProperty("candidateCostUsd")));
        Assert.Equal(40, evidence.GetProperty("repricedCalls").GetInt64());

        // A cheaper replacement the calculator priced below the new price on the same calls.
        var replacement = evidence.GetProperty("replacement");
        var replacementSavings = await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={Uri.EscapeDataString(replacement.GetProperty("model").GetString()!)}", Ct));
        Assert.Equal(Dec(replacementSavings.GetProperty("totals").GetProperty("candidateCostUsd")), Dec(replacement.GetProperty("candidateCostUsd")));
        Assert.True(Dec(replacement.GetProperty("candidateCostUsd")) < Dec(risen.GetProperty("totals").GetProperty("candidateCostUsd")));

        // Applied like any retirement: the approval of another human takes the model out, the fallback serves.
        var id = recommendation.GetProperty("id").GetString()!;
        using var asked = await admin.PostAsync($"/admin/api/recommendations/{id}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        Assert.Equal(Current, (await RouteAsync(admin)).GetProperty("primaryModel").GetString());
        using var approved = await decider.PostAsync($"/admin/api/approvals/{(await Json.ReadAsync(asked)).GetProperty("approvalId").GetString()}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var route = await RouteAsync(admin);
        Assert.Equal("deepseek/deepseek-v4-flash", route.GetProperty("primaryModel").GetString());
        Assert.DoesNotContain(route.GetProperty("fallbackModels").EnumerateArray(), f => f.GetString() == Current);
    }

    [Fact]
    public async Task RisingPrice_AFallPrice_NoRetireRecommended()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var at = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(7).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await PutOverrideAsync(admin, $$$"""
            {"models":[{"provider":"gemini","model":"gemini-2.5-flash","prices":[
              {"effectiveUntil":"{{{at}}}","source":"old list price","sourceDate":"2026-06-01","rates":{"input":0.3,"cacheRead":0.03,"output":2.5}},
              {"effectiveFrom":"{{{at}}}","source":"new list price","sourceDate":"2026-11-20","rates":{"input":0.15,"cacheRead":0.015,"output":1.25}}]}]}
            """);
        await SavingsAndRecommendationTests.SeedAsync(factory, 40);

        var items = await RefreshAsync(admin);

        Assert.DoesNotContain(items, r => r.GetProperty("kind").GetString() == "retire" && r.GetProperty("operation").GetString() == Operation);
    }

    [Fact]
    public async Task Savings_BadPlanOptions_400ProblemDetails()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var model = Uri.EscapeDataString(Current);

        using var badWindow = await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={model}&inPriceWindow=maybe", Ct);
        using var badInstant = await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={model}&pricesAsOf=soon", Ct);
        using var badBody = await admin.PostAsync("/admin/api/savings", new StringContent($$$"""{"operation":"{{{Operation}}}","model":"{{{Current}}}","inPriceWindow":"yes"}""", Encoding.UTF8, "application/json"), Ct);
        using var good = await admin.PostAsync("/admin/api/savings", new StringContent($$$"""{"changes":[{"operation":"{{{Operation}}}","model":"{{{Current}}}","inPriceWindow":true,"pricesAsOf":"2026-11-01T00:00:00Z"}]}""", Encoding.UTF8, "application/json"), Ct);

        await AssertProblemAsync(badWindow, HttpStatusCode.BadRequest, null);
        await AssertProblemAsync(badInstant, HttpStatusCode.BadRequest, null);
        await AssertProblemAsync(badBody, HttpStatusCode.BadRequest, null);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var operation = (await Json.ReadAsync(good)).GetProperty("perOperation")[0];
        Assert.True(operation.GetProperty("inPriceWindow").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), operation.GetProperty("pricesAsOf").GetDateTimeOffset());
    }

    private static async Task PutOverrideAsync(HttpClient admin, string json)
    {
        using var put = await admin.PutAsync("/admin/api/prices/overrides", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    private static async Task<JsonElement[]> RefreshAsync(HttpClient admin)
    {
        using var refresh = await admin.PostAsync("/admin/api/recommendations/refresh", null, Ct);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        return [.. (await Json.ReadAsync(refresh)).GetProperty("items").EnumerateArray().Where(r => r.GetProperty("status").GetString() == "open")];
    }

    private static async Task<JsonElement> SavingsAsync(HttpClient admin, string pricesAsOf) =>
        await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={Uri.EscapeDataString(Current)}&pricesAsOf={Uri.EscapeDataString(pricesAsOf)}", Ct));

    private static async Task<JsonElement> RouteAsync(HttpClient admin) =>
        (await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", Ct))).GetProperty("items").EnumerateArray()
            .Single(r => r.GetProperty("operation").GetString() == Operation);

    // The calculator's rule for a window, written out: each row's meters at its entry's window rates on its own day.
    private static decimal ExpectedInWindow(GatewayFactory factory, List<OperationLogEntry> rows, TimeOnly start)
    {
        var costs = factory.Services.GetRequiredService<CostEngine>();
        var savings = 0m;
        foreach (var row in rows)
        {
            Assert.True(costs.Book.TryFind("gemini", "gemini-2.5-flash", row.Timestamp, out var price));
            var inWindow = new DateTimeOffset(row.Timestamp.UtcDateTime.Date, TimeSpan.Zero) + start.ToTimeSpan();
            savings += row.CostUsd!.Value - CostCalculator.Calculate(price, row.Meters, null, inWindow).TotalUsd!.Value;
        }

        return savings;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (title is not null)
        {
            Assert.Equal(title, (await Json.ReadAsync(response)).GetProperty("title").GetString());
        }
    }

    private static decimal Dec(JsonElement value) => decimal.Parse(value.GetString()!, CultureInfo.InvariantCulture);
}
