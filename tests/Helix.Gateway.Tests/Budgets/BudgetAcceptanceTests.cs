using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Gateway.Tests.Budgets;

/// <summary>Budgets hold exactly under concurrency, through the real gateway and the simulator.</summary>
public sealed class BudgetAcceptanceTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public BudgetAcceptanceTests(GatewayFactory factory)
    {
        _factory = factory;
        BudgetCalls.MatchWorstCase(factory.Simulator);
    }

    [Fact]
    public async Task Burst_200ConcurrentCallsAgainstAHardBudgetForExactly10_Exactly10SucceedAndSpendStaysWithin()
    {
        var http = _factory.CreateClient();
        var admin = _factory.CreateAdminClient();
        var cost = await BudgetCalls.CalibrateAsync(http, admin);
        var budget = await BudgetCalls.PutBudgetAsync(admin, new { scope = "user", subject = "burst", period = "day", limitUsd = BudgetCalls.Format(10 * cost), hard = true });

        var statuses = await BurstAsync(http, "burst", 200);

        Assert.Equal(10, statuses.Count(s => s.Status == HttpStatusCode.OK));
        Assert.Equal(190, statuses.Count(s => s.Status == HttpStatusCode.TooManyRequests));
        Assert.All(statuses.Where(s => s.Status != HttpStatusCode.OK), s => Assert.Equal("budget_exceeded", s.Code));
        await AssertSpendAsync(admin, budget.GetProperty("id").GetString()!, "burst", 10 * cost);
    }

    [Fact]
    public async Task Burst_BudgetNearlySpentByEarlierCalls_OnlyTheRemainderSucceeds()
    {
        var http = _factory.CreateClient();
        var admin = _factory.CreateAdminClient();
        var cost = await BudgetCalls.CalibrateAsync(http, admin);
        var budget = await BudgetCalls.PutBudgetAsync(admin, new { scope = "user", subject = "nearly", period = "day", limitUsd = BudgetCalls.Format(10 * cost) });
        for (var i = 0; i < 7; i++)
        {
            using var earlier = await BudgetCalls.CallAsync(http, "nearly");
            Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
        }

        var statuses = await BurstAsync(http, "nearly", 200);

        Assert.Equal(3, statuses.Count(s => s.Status == HttpStatusCode.OK));
        Assert.Equal(197, statuses.Count(s => s.Code == "budget_exceeded"));
        await AssertSpendAsync(admin, budget.GetProperty("id").GetString()!, "nearly", 10 * cost);
    }

    [Fact]
    public async Task Refusal_NamesTheScopeAndTheResetTimeBeforeAnyProviderIsCalled()
    {
        var http = _factory.CreateClient();
        var admin = _factory.CreateAdminClient();
        await BudgetCalls.PutBudgetAsync(admin, new { scope = "user", subject = "broke", period = "month", limitUsd = "0.000000001" });
        var ledgerBefore = _factory.Simulator.Ledger.Count;

        using var response = await BudgetCalls.CallAsync(http, "broke");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("budget_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("user 'broke' month budget", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("resets at ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(ledgerBefore, _factory.Simulator.Ledger.Count);
        Assert.DoesNotContain(await Json.LogsAsync(admin), r => r.GetProperty("user").ValueKind == JsonValueKind.String && r.GetProperty("user").GetString() == "broke");
    }

    [Fact]
    public async Task Burst_AcrossUtcMidnightOnAFakeClock_NewDayNewBudget()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 23, 59, 0, TimeSpan.Zero));
        using var factory = new GatewayFactory();
        using var clocked = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(time)));
        var http = clocked.CreateClient();
        var admin = clocked.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFactory.AdminKey);
        BudgetCalls.MatchWorstCase(clocked.Services.GetRequiredService<Helix.Gateway.Providers.SimulatorHost>().Server.State);
        var cost = await BudgetCalls.CalibrateAsync(http, admin);
        var budget = await BudgetCalls.PutBudgetAsync(admin, new { scope = "user", subject = "midnight", period = "day", limitUsd = BudgetCalls.Format(10 * cost) });
        var id = budget.GetProperty("id").GetString()!;

        var beforeMidnight = await BurstAsync(http, "midnight", 40);
        using var refused = await BudgetCalls.CallAsync(http, "midnight");
        time.Advance(TimeSpan.FromMinutes(2));
        var afterMidnight = await BurstAsync(http, "midnight", 40);

        Assert.Equal(10, beforeMidnight.Count(s => s.Status == HttpStatusCode.OK));
        Assert.Equal(TimeSpan.FromMinutes(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(10, afterMidnight.Count(s => s.Status == HttpStatusCode.OK));
        var today = await BudgetCalls.BudgetAsync(admin, id);
        Assert.Equal(10 * cost, BudgetCalls.Usd(today, "spentUsd"));
        Assert.Equal("2026-12-05T00:00:00+00:00", today.GetProperty("periodStart").GetDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        var history = await Json.ReadAsync(await admin.GetAsync($"/admin/api/budgets/{id}/history?days=2", TestContext.Current.CancellationToken));
        Assert.Equal(
            [("2026-12-04", BudgetCalls.Format(10 * cost)), ("2026-12-05", BudgetCalls.Format(10 * cost))],
            history.GetProperty("items").EnumerateArray().Select(d => (d.GetProperty("day").GetString()!, d.GetProperty("spentUsd").GetString()!)));
    }

    [Fact]
    public async Task Stream_HoldsItsReservationUntilItEndsThenSettlesToItsCost()
    {
        var http = _factory.CreateClient();
        var admin = _factory.CreateAdminClient();
        var budget = await BudgetCalls.PutBudgetAsync(admin, new { scope = "user", subject = "streamer", period = "day", limitUsd = "5" });
        var id = budget.GetProperty("id").GetString()!;
        var estimate = Helix.Core.Estimation.ChatRequestEstimator.Estimate(Helix.Core.Providers.ChatRequest.FromJsonObject(BudgetCalls.Body("streamer")));
        _factory.Simulator.SetBehavior("deepseek", null, new Helix.Simulator.SimulatorBehavior
        {
            PromptTokens = estimate.InputTokens,
            CompletionTokens = 4 * BudgetCalls.MaxTokens,
            ChunkDelay = TimeSpan.FromMilliseconds(100),
        });
        try
        {
            var body = BudgetCalls.Body("streamer");
            body["stream"] = true;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = System.Net.Http.Json.JsonContent.Create(body) };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var during = await BudgetCalls.BudgetAsync(admin, id);
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();

            Assert.True(BudgetCalls.Usd(during, "reservedUsd") > 0m, "The stream's worst case is not reserved while it runs.");
            Assert.Equal(0m, BudgetCalls.Usd(during, "spentUsd"));
            var row = (await Json.LogsAsync(admin)).Single(r => r.GetProperty("requestId").GetString() == requestId);
            var after = await BudgetCalls.BudgetAsync(admin, id);
            Assert.Equal(0m, BudgetCalls.Usd(after, "reservedUsd"));
            Assert.Equal(BudgetCalls.Usd(row, "costUsd"), BudgetCalls.Usd(after, "spentUsd"));
        }
        finally
        {
            BudgetCalls.MatchWorstCase(_factory.Simulator);
        }
    }

    internal static async Task<(HttpStatusCode Status, string? Code)[]> BurstAsync(HttpClient http, string user, int calls)
    {
        var tasks = Enumerable.Range(0, calls).Select(async _ =>
        {
            await Task.Yield();
            using var response = await BudgetCalls.CallAsync(http, user);
            var body = await Json.ReadAsync(response);
            var code = body.TryGetProperty("error", out var error) ? error.GetProperty("code").GetString() : null;
            return (response.StatusCode, code);
        });
        return await Task.WhenAll(tasks);
    }

    private static async Task AssertSpendAsync(HttpClient admin, string budgetId, string user, decimal limit)
    {
        var rows = (await Json.LogsAsync(admin)).Where(r => r.GetProperty("user").ValueKind == JsonValueKind.String && r.GetProperty("user").GetString() == user).ToArray();
        var logged = rows.Sum(r => BudgetCalls.Usd(r, "costUsd"));
        Assert.True(logged <= limit, $"logged {logged} > limit {limit}");
        Assert.Equal(limit, logged);
        var budget = await BudgetCalls.BudgetAsync(admin, budgetId);
        Assert.Equal(logged, BudgetCalls.Usd(budget, "spentUsd"));
        Assert.Equal(0m, BudgetCalls.Usd(budget, "reservedUsd"));
        Assert.Equal(0m, BudgetCalls.Usd(budget, "remainingUsd"));
    }
}
