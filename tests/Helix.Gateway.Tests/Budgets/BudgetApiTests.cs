using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.Budgets;

public sealed class BudgetApiTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public BudgetApiTests(GatewayFactory factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Budgets_FirstStart_HasTheDefaultGlobalDailyBudget()
    {
        var budgets = await Json.ReadAsync(await _factory.CreateAdminClient().GetAsync("/admin/api/budgets", Ct));

        var global = Assert.Single(budgets.GetProperty("items").EnumerateArray(), b => b.GetProperty("scope").GetString() == "global");
        Assert.Equal(("day", "100", true, "UTC"), (global.GetProperty("period").GetString(), global.GetProperty("limitUsd").GetString(), global.GetProperty("hard").GetBoolean(), global.GetProperty("timeZone").GetString()));
        Assert.Equal(JsonValueKind.String, global.GetProperty("spentUsd").ValueKind);
        Assert.Equal(JsonValueKind.String, global.GetProperty("reservedUsd").ValueKind);
        Assert.Equal(JsonValueKind.String, global.GetProperty("remainingUsd").ValueKind);
    }

    [Fact]
    public async Task PutBudget_SameScopeSubjectPeriod_ReplacesAndDeleteRemoves()
    {
        var admin = _factory.CreateAdminClient();
        var first = await BudgetCalls.PutBudgetAsync(admin, new { scope = "operation", subject = "agent", period = "month", limitUsd = "10.00", hard = true, thresholds = new[] { 0.5, 0.8, 1.0 }, timeZone = "Europe/Lisbon" });

        var second = await BudgetCalls.PutBudgetAsync(admin, new { scope = "operation", subject = "agent", period = "month", limitUsd = "12.5", hard = false });

        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(("12.5", false, "UTC", "12.5"), (second.GetProperty("limitUsd").GetString(), second.GetProperty("hard").GetBoolean(), second.GetProperty("timeZone").GetString(), second.GetProperty("remainingUsd").GetString()));
        Assert.Equal("Europe/Lisbon", first.GetProperty("timeZone").GetString());
        using var deleted = await admin.DeleteAsync($"/admin/api/budgets/{second.GetProperty("id").GetString()}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var again = await admin.DeleteAsync($"/admin/api/budgets/{second.GetProperty("id").GetString()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [InlineData("""{"scope":"user","subject":"x","period":"day","limitUsd":"-1"}""", "limitUsd")]
    [InlineData("""{"scope":"user","subject":"x","period":"day","limitUsd":"0"}""", "limitUsd")]
    [InlineData("""{"scope":"user","subject":"x","period":"day","limitUsd":"ten"}""", "limitUsd")]
    [InlineData("""{"scope":"user","subject":"x","period":"day"}""", "limitUsd")]
    [InlineData("""{"scope":"team","subject":"x","period":"day","limitUsd":"1"}""", "scope")]
    [InlineData("""{"scope":"1","subject":"x","period":"day","limitUsd":"1"}""", "scope")]
    [InlineData("""{"scope":"user","period":"day","limitUsd":"1"}""", "subject")]
    [InlineData("""{"scope":"user","subject":"x","period":"week","limitUsd":"1"}""", "period")]
    [InlineData("""{"scope":"user","subject":"x","period":"day","limitUsd":"1","thresholds":[0.5,1.5]}""", "thresholds")]
    [InlineData("""{"scope":"user","subject":"x","period":"day","limitUsd":"1","thresholds":[0]}""", "thresholds")]
    [InlineData("""{"scope":"user","subject":"x","period":"day","limitUsd":"1","timeZone":"Mars/Olympus"}""", "timeZone")]
    [InlineData("""{"scope":"user","subject":"x","period":"day","limitUsd":"1","hard":"yes"}""", "hard")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""{"scope":""", "body")]
    public async Task PutBudget_BadInput_Answers400NamingTheFieldAndChangesNothing(string body, string field)
    {
        var admin = _factory.CreateAdminClient();
        var before = (await Json.ReadAsync(await admin.GetAsync("/admin/api/budgets", Ct))).GetProperty("items").GetArrayLength();

        using var response = await admin.PutAsync("/admin/api/budgets", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, (await Json.ReadAsync(await admin.GetAsync("/admin/api/budgets", Ct))).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"kind":"webhook","url":"ftp://hooks.example/x"}""", "url")]
    [InlineData("""{"kind":"webhook","url":"not a url"}""", "url")]
    [InlineData("""{"kind":"pager","url":"https://hooks.example/x"}""", "kind")]
    [InlineData("""{"kind":"webhook","url":"https://hooks.example/x","secret":42}""", "secret")]
    public async Task PutNotifier_BadInput_Answers400NamingTheField(string body, string field)
    {
        var admin = _factory.CreateAdminClient();

        using var response = await admin.PutAsync("/admin/api/notifiers/bad", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await Json.ReadAsync(response)).GetProperty("field").GetString());
        using var get = await admin.GetAsync("/admin/api/notifiers/bad", Ct);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Notifiers_SecretIsNeverReturned_TestSendsAndDeleteRemoves()
    {
        using var receiver = new NotifierReceiver();
        var admin = _factory.CreateAdminClient();
        using var put = await admin.PutAsJsonAsync("/admin/api/notifiers/ops-hook", new { kind = "webhook", url = receiver.BaseUrl + "test", secret = "top-secret-value" }, Ct);
        var text = await put.Content.ReadAsStringAsync(Ct);

        using var test = await admin.PostAsync("/admin/api/notifiers/ops-hook/test", null, Ct);
        var listed = await admin.GetStringAsync("/admin/api/notifiers", Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.DoesNotContain("top-secret-value", text, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret-value", listed, StringComparison.Ordinal);
        Assert.Contains("\"hasSecret\":true", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var delivered = Assert.Single(receiver.Received);
        Assert.Equal("test", JsonDocument.Parse(delivered.Body).RootElement.GetProperty("type").GetString());
        Assert.StartsWith("sha256=", delivered.Signature, StringComparison.Ordinal);
        using var deleted = await admin.DeleteAsync("/admin/api/notifiers/ops-hook", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task Alerts_AcknowledgeThenResolve_MovesThroughTheStates()
    {
        var admin = _factory.CreateAdminClient();
        var http = _factory.CreateClient();
        BudgetCalls.MatchWorstCase(_factory.Simulator);
        var cost = await BudgetCalls.CalibrateAsync(http, admin);
        await BudgetCalls.PutBudgetAsync(admin, new { scope = "user", subject = "states", period = "day", limitUsd = BudgetCalls.Format(cost), hard = false, thresholds = new[] { 1.0 } });
        using (await BudgetCalls.CallAsync(http, "states"))
        {
        }

        JsonElement alert = default;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            var open = await Json.ReadAsync(await admin.GetAsync("/admin/api/alerts?state=open", Ct));
            var found = open.GetProperty("items").EnumerateArray().Where(a => a.GetProperty("subject").GetString() == "states").ToArray();
            if (found.Length > 0)
            {
                alert = found[0];
                break;
            }

            await Task.Delay(20, Ct);
        }

        Assert.Equal(JsonValueKind.Object, alert.ValueKind);
        var id = alert.GetProperty("id").GetString();
        var acknowledged = await Json.ReadAsync(await admin.PostAsync($"/admin/api/alerts/{id}/acknowledge", null, Ct));
        var resolved = await Json.ReadAsync(await admin.PostAsync($"/admin/api/alerts/{id}/resolve", null, Ct));
        Assert.Equal("acknowledged", acknowledged.GetProperty("state").GetString());
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        using var unknown = await admin.PostAsync("/admin/api/alerts/999999/resolve", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badState = await admin.GetAsync("/admin/api/alerts?state=closed", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
    }

    [Fact]
    public async Task Spend_GroupedByUser_SumsTheLogAsDecimalStrings()
    {
        var admin = _factory.CreateAdminClient();
        var http = _factory.CreateClient();
        BudgetCalls.MatchWorstCase(_factory.Simulator);
        var cost = await BudgetCalls.CalibrateAsync(http, admin);
        for (var i = 0; i < 3; i++)
        {
            using var response = await BudgetCalls.CallAsync(http, "spender");
        }

        var spend = await Json.ReadAsync(await admin.GetAsync("/admin/api/spend?period=day&groupBy=user", Ct));

        var row = Assert.Single(spend.GetProperty("items").EnumerateArray(), r => r.GetProperty("group").GetString() == "spender");
        Assert.Equal(BudgetCalls.Format(3 * cost), row.GetProperty("spentUsd").GetString());
        Assert.Equal(3, row.GetProperty("calls").GetInt64());
        using var bad = await admin.GetAsync("/admin/api/spend?groupBy=planet", Ct);
        Assert.Equal("groupBy", (await Json.ReadAsync(bad)).GetProperty("field").GetString());
        using var badFrom = await admin.GetAsync("/admin/api/spend?from=yesterday", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badFrom.StatusCode);
    }
}
