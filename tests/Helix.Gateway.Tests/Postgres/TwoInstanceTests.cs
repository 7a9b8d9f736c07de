using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Gateway.Tests.Budgets;
using Xunit;

namespace Helix.Gateway.Tests.Postgres;

/// <summary>Two gateway instances on one PostgreSQL database: one truth for budgets, routes and keys.</summary>
public sealed class TwoInstanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Burst_200CallsSplitAcrossTwoInstancesAgainstAHardBudgetForExactly10_Exactly10Succeed()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        using var a = Instance(database, "gateway-a");
        using var b = Instance(database, "gateway-b");
        await StartBothAsync(a, b);
        var httpA = a.CreateClient();
        var httpB = b.CreateClient();
        var adminA = a.CreateAdminClient();
        var adminB = b.CreateAdminClient();
        var cost = await BudgetCalls.CalibrateAsync(httpA, adminA);
        var budget = await BudgetCalls.PutBudgetAsync(adminA, new { scope = "user", subject = "shared", period = "day", limitUsd = BudgetCalls.Format(10 * cost), hard = true });
        var id = budget.GetProperty("id").GetString()!;
        await EventuallyAsync(async () => (await BudgetsAsync(adminB)).Any(b => b.GetProperty("id").GetString() == id));

        var bursts = await Task.WhenAll(
            BudgetAcceptanceTests.BurstAsync(httpA, "shared", 100),
            BudgetAcceptanceTests.BurstAsync(httpB, "shared", 100));
        var statuses = bursts.SelectMany(s => s).ToArray();

        Assert.Equal(10, statuses.Count(s => s.Status == HttpStatusCode.OK));
        Assert.Equal(190, statuses.Count(s => s.Code == "budget_exceeded"));
        var logged = (await Json.LogsAsync(adminA))
            .Where(r => r.GetProperty("user").ValueKind == JsonValueKind.String && r.GetProperty("user").GetString() == "shared")
            .Sum(r => BudgetCalls.Usd(r, "costUsd"));
        Assert.Equal(10 * cost, logged);
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM open_attempts"));
    }

    [Fact]
    public async Task RouteChangedThroughOneInstance_TheOtherServesItWithinASecond()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        using var a = Instance(database, "gateway-a");
        using var b = Instance(database, "gateway-b");
        await StartBothAsync(a, b);
        var adminA = a.CreateAdminClient();
        var adminB = b.CreateAdminClient();
        var httpB = b.CreateClient();
        using (var warm = await BudgetCalls.CallAsync(httpB, "route-watcher"))
        {
            Assert.Equal("deepseek/deepseek-v4-flash", warm.Headers.GetValues("X-Helix-Model").Single());
        }

        using var put = await adminA.PutAsJsonAsync("/admin/api/routes/chat", new { primaryModel = "gemini/gemini-2.5-flash", fallbackModels = Array.Empty<string>() }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // The route table b serves calls from, read through its admin API until it holds the change.
        await EventuallyAsync(async () =>
        {
            var routes = await Json.ReadAsync(await adminB.GetAsync("/admin/api/routes", Ct));
            return routes.GetProperty("items").EnumerateArray()
                .Single(r => r.GetProperty("operation").GetString() == "chat")
                .GetProperty("primaryModel").GetString() == "gemini/gemini-2.5-flash";
        });
        using var response = await BudgetCalls.CallAsync(httpB, "route-watcher");
        Assert.Equal("gemini/gemini-2.5-flash", response.Headers.GetValues("X-Helix-Model").Single());
    }

    [Fact]
    public async Task KeyRevokedThroughOneInstance_TheOtherRefusesItWithinASecond()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        using var a = Instance(database, "gateway-a");
        using var b = Instance(database, "gateway-b");
        await StartBothAsync(a, b);
        var adminA = a.CreateAdminClient();
        var key = await Access.Keys.CreateAsync(adminA, "billing", "app");
        using var httpB = Access.Keys.Client(b, key.Key);

        // Created through a: b accepts it within a second, from the change notice.
        await EventuallyAsync(async () =>
        {
            using var response = await Access.Keys.ChatAsync(httpB);
            return response.StatusCode == HttpStatusCode.OK;
        });
        using var revoke = await adminA.DeleteAsync($"/admin/api/keys/{key.Id}", Ct);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        await EventuallyAsync(async () =>
        {
            using var response = await Access.Keys.ChatAsync(httpB);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        });
    }

    [Fact]
    public async Task KeyEditedThroughOneInstance_TheOtherAppliesItWithinASecond()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        using var a = Instance(database, "gateway-a");
        using var b = Instance(database, "gateway-b");
        await StartBothAsync(a, b);
        var adminA = a.CreateAdminClient();
        var key = await Access.Keys.CreateAsync(adminA, "billing", "app", ["chat"]);
        using var httpB = Access.Keys.Client(b, key.Key);
        await EventuallyAsync(async () =>
        {
            using var response = await Access.Keys.ChatAsync(httpB);
            return response.StatusCode == HttpStatusCode.OK;
        });

        using var edit = await adminA.PatchAsync(
            $"/admin/api/keys/{key.Id}", new StringContent("""{"operations":["email-drafting"]}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);

        // Edited through a: b refuses the operation the key no longer has, from the change notice.
        await EventuallyAsync(async () =>
        {
            using var response = await Access.Keys.ChatAsync(httpB);
            return response.StatusCode == HttpStatusCode.Forbidden;
        });
        using var drafting = await Access.Keys.ChatAsync(httpB, "email-drafting");
        Assert.Equal(HttpStatusCode.OK, drafting.StatusCode);
    }

    private static GatewayFactory Instance(PostgresTestServer database, string id) => new(
        Path.Combine(Path.GetTempPath(), "helix-gateway-tests", Guid.NewGuid().ToString("N")),
        ownsDirectory: true,
        new Dictionary<string, string>
        {
            ["Helix:Storage:Provider"] = "postgres",
            ["Helix:Storage:ConnectionString"] = database.ConnectionString,
            ["Helix:Storage:InstanceId"] = id,
        });

    // Both start at once, as two replicas behind a load balancer would: they migrate the empty database once between them.
    private static async Task StartBothAsync(GatewayFactory a, GatewayFactory b)
    {
        await Task.WhenAll(Task.Run(() => a.CreateClient().Dispose(), Ct), Task.Run(() => b.CreateClient().Dispose(), Ct));
        BudgetCalls.MatchWorstCase(a.Simulator);
        BudgetCalls.MatchWorstCase(b.Simulator);
    }

    private static async Task<JsonElement[]> BudgetsAsync(HttpClient admin) =>
        [.. (await Json.ReadAsync(await admin.GetAsync("/admin/api/budgets", Ct))).GetProperty("items").EnumerateArray()];

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "the other instance did not see the change within a second");
            await Task.Delay(10, Ct);
        }
    }
}
