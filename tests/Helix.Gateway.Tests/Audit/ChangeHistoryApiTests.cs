using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helix.Core.Alerts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Audit;

/// <summary>Every admin change through the real gateway appends exactly one change-history entry, with who, before and after, and never a secret.</summary>
public sealed class ChangeHistoryApiTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helix-audit-tests", Guid.NewGuid().ToString("N"));
    private readonly GatewayFactory _factory;
    private readonly HttpClient _admin;

    public ChangeHistoryApiTests()
    {
        _factory = new GatewayFactory { DatabaseDirectory = _directory };
        _admin = _factory.CreateAdminClient();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _admin.Dispose();
        _factory.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Routes_CreateUpdateRetire_EachAppendOneEntryWithTheRouteBeforeAndAfter()
    {
        using var created = await _admin.PostAsJsonAsync("/admin/api/routes", new { operation = "audit-op", primaryModel = "gemini/gemini-2.5-flash" }, Ct);
        var afterCreate = await EntriesAsync();
        using var updated = await _admin.PutAsJsonAsync("/admin/api/routes/audit-op", new { primaryModel = "deepseek/deepseek-v4-flash" }, Ct);
        var afterUpdate = await EntriesAsync();
        using var retired = await _admin.DeleteAsync("/admin/api/routes/audit-op", Ct);
        var afterRetire = await EntriesAsync();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var create = Assert.Single(afterCreate);
        Assert.Equal("route.create", create.GetProperty("action").GetString());
        Assert.Equal("audit-op", create.GetProperty("target").GetString());
        Assert.Equal("bootstrap-admin", create.GetProperty("actorId").GetString());
        Assert.Equal("bootstrap admin (Helix:AdminKey)", create.GetProperty("actorName").GetString());
        Assert.Equal(JsonValueKind.Null, create.GetProperty("before").ValueKind);
        Assert.Equal("gemini/gemini-2.5-flash", create.GetProperty("after").GetProperty("primaryModel").GetString());

        Assert.Equal(2, afterUpdate.Length);
        var update = afterUpdate[0];
        Assert.Equal("route.update", update.GetProperty("action").GetString());
        Assert.Equal("gemini/gemini-2.5-flash", update.GetProperty("before").GetProperty("primaryModel").GetString());
        Assert.Equal("deepseek/deepseek-v4-flash", update.GetProperty("after").GetProperty("primaryModel").GetString());
        Assert.Equal(2, update.GetProperty("after").GetProperty("version").GetInt64());

        Assert.Equal(3, afterRetire.Length);
        var retire = afterRetire[0];
        Assert.Equal("route.retire", retire.GetProperty("action").GetString());
        Assert.False(retire.GetProperty("before").GetProperty("retired").GetBoolean());
        Assert.True(retire.GetProperty("after").GetProperty("retired").GetBoolean());
        Assert.Equal(afterRetire[1].GetProperty("hash").GetString(), retire.GetProperty("previousHash").GetString());
    }

    [Fact]
    public async Task RefusedChanges_AppendNothing()
    {
        using var badRoute = await _admin.PutAsJsonAsync("/admin/api/routes/chat", new { maxOutputTokens = "many" }, Ct);
        using var unknownRoute = await _admin.DeleteAsync("/admin/api/routes/no-such-operation", Ct);
        using var unknownBudget = await _admin.DeleteAsync("/admin/api/budgets/999999", Ct);
        using var unknownNotifier = await _admin.DeleteAsync("/admin/api/notifiers/nobody", Ct);
        using var badPrices = await _admin.PutAsync("/admin/api/prices/overrides", JsonBody("""{"models":[]}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, badRoute.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownBudget.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownNotifier.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPrices.StatusCode);
        Assert.Empty(await EntriesAsync());
    }

    [Fact]
    public async Task Budgets_PutReplaceDelete_RecordTheSettingsBeforeAndAfter()
    {
        using var put = await _admin.PutAsJsonAsync("/admin/api/budgets", new { scope = "user", subject = "alice", period = "day", limitUsd = "5.00" }, Ct);
        var id = (await Json.ReadAsync(put)).GetProperty("id").GetString();
        using var replace = await _admin.PutAsJsonAsync("/admin/api/budgets", new { scope = "user", subject = "alice", period = "day", limitUsd = "7.50", hard = false }, Ct);
        using var delete = await _admin.DeleteAsync($"/admin/api/budgets/{id}", Ct);
        var entries = await EntriesAsync();

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(["budget.delete", "budget.put", "budget.put"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(id, e.GetProperty("target").GetString()));
        Assert.Equal(JsonValueKind.Null, entries[2].GetProperty("before").ValueKind);
        Assert.Equal("5", entries[1].GetProperty("before").GetProperty("limitUsd").GetString());
        Assert.Equal("7.5", entries[1].GetProperty("after").GetProperty("limitUsd").GetString());
        Assert.False(entries[1].GetProperty("after").GetProperty("hard").GetBoolean());
        Assert.Equal("alice", entries[0].GetProperty("before").GetProperty("subject").GetString());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task Notifiers_PutAndDelete_NeverRecordTheSecretNorTheWebhooksToken()
    {
        using var discord = await _admin.PutAsJsonAsync("/admin/api/notifiers/ops", new
        {
            kind = "discord",
            url = "https://user:pa55word@discord.example/api/webhooks/123/TOKEN-in-the-path",
        }, Ct);
        using var webhook = await _admin.PutAsJsonAsync("/admin/api/notifiers/ops", new
        {
            kind = "webhook",
            url = "https://hooks.example:8443/in?token=TOKEN-in-the-query",
            secret = "hmac-SECRET-value",
        }, Ct);
        using var delete = await _admin.DeleteAsync("/admin/api/notifiers/ops", Ct);
        var raw = await (await _admin.GetAsync("/admin/api/audit", Ct)).Content.ReadAsStringAsync(Ct);
        var entries = await EntriesAsync();

        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        Assert.Equal(["notifier.delete", "notifier.put", "notifier.put"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.DoesNotContain("TOKEN", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", raw, StringComparison.Ordinal);
        Assert.Equal("https://discord.example/…", entries[2].GetProperty("after").GetProperty("url").GetString());
        Assert.False(entries[2].GetProperty("after").GetProperty("hasSecret").GetBoolean());
        Assert.Equal("https://hooks.example:8443/…", entries[1].GetProperty("after").GetProperty("url").GetString());
        Assert.True(entries[1].GetProperty("after").GetProperty("hasSecret").GetBoolean());
        Assert.Equal("discord", entries[1].GetProperty("before").GetProperty("kind").GetString());
        Assert.Equal("webhook", entries[0].GetProperty("before").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Prices_OverridePutRepriceAndDelete_AreRecorded()
    {
        var http = _factory.CreateClient();
        using (var call = await ChatAsync(http))
        {
            call.EnsureSuccessStatusCode();
        }

        using var put = await _admin.PutAsync("/admin/api/prices/overrides", JsonBody("""
            {"models":[{"provider":"deepseek","model":"deepseek-v4-flash","prices":[{"source":"negotiated contract","sourceDate":"2026-11-01",
              "rates":{"input":1.40,"cacheRead":0.028,"output":2.80}}]}]}
            """), Ct);
        var now = TimeProvider.System.GetUtcNow();
        using var reprice = await _admin.PostAsJsonAsync("/admin/api/logs/reprice", new { from = now.AddHours(-1), to = now.AddHours(1) }, Ct);
        using var delete = await _admin.DeleteAsync("/admin/api/prices/overrides/deepseek/deepseek-v4-flash", Ct);
        var entries = await EntriesAsync();

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(["prices.override.delete", "prices.reprice", "prices.override.put"], entries.Select(e => e.GetProperty("action").GetString()));
        var saved = entries[2];
        Assert.Equal("deepseek/deepseek-v4-flash", saved.GetProperty("target").GetString());
        Assert.Equal(JsonValueKind.Null, saved.GetProperty("before").ValueKind);
        Assert.Equal("2.8", saved.GetProperty("after").GetProperty("models")[0].GetProperty("prices")[0].GetProperty("rates").GetProperty("output").GetString());
        Assert.Equal(1, entries[1].GetProperty("after").GetProperty("result").GetProperty("changed").GetInt32());
        Assert.Equal("negotiated contract", entries[0].GetProperty("before").GetProperty("models")[0].GetProperty("prices")[0].GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task AlertsAndReconciliations_AreRecorded()
    {
        var store = _factory.Services.GetRequiredService<IAlertStore>();
        var alert = await store.TryAddAsync(new AlertRecord
        {
            Type = "budget_threshold", Severity = "warning", Message = "80% of the day's budget", CreatedAt = TimeProvider.System.GetUtcNow(), DedupeKey = "audit-test",
        }, Ct);
        Assert.NotNull(alert);

        using var acknowledge = await _admin.PostAsync($"/admin/api/alerts/{alert.Id}/acknowledge", null, Ct);
        using var resolve = await _admin.PostAsync($"/admin/api/alerts/{alert.Id}/resolve", null, Ct);
        using var reconcile = await _admin.PostAsync("/admin/api/reconciliations?provider=openai",
            new StringContent("""{"data":[{"start_time":1764806400,"end_time":1764892800,"results":[]}]}""", Encoding.UTF8, "application/json"), Ct);
        var entries = await EntriesAsync();

        Assert.Equal(HttpStatusCode.OK, reconcile.StatusCode);
        Assert.Equal(["reconciliation.create", "alert.resolve", "alert.acknowledge"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("open", entries[2].GetProperty("before").GetProperty("state").GetString());
        Assert.Equal("acknowledged", entries[2].GetProperty("after").GetProperty("state").GetString());
        Assert.Equal("acknowledged", entries[1].GetProperty("before").GetProperty("state").GetString());
        Assert.Equal("resolved", entries[1].GetProperty("after").GetProperty("state").GetString());
        var report = await Json.ReadAsync(reconcile);
        Assert.Equal(report.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), entries[0].GetProperty("target").GetString());
        Assert.Equal("openai", entries[0].GetProperty("after").GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Audit_PagesNewestFirstWithACursor_AndFiltersByTargetActionAndActor()
    {
        for (var i = 0; i < 5; i++)
        {
            using var put = await _admin.PutAsJsonAsync("/admin/api/budgets", new { scope = "operation", subject = $"op{i}", period = "month", limitUsd = "1" }, Ct);
        }

        using var route = await _admin.PutAsJsonAsync("/admin/api/routes/chat", new { maxOutputTokens = 100 }, Ct);

        var first = await Json.ReadAsync(await _admin.GetAsync("/admin/api/audit?limit=4", Ct));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await Json.ReadAsync(await _admin.GetAsync($"/admin/api/audit?limit=4&cursor={cursor}", Ct));
        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(e => e.GetProperty("id").GetInt64()).ToArray();
        var byAction = await Json.ReadAsync(await _admin.GetAsync("/admin/api/audit?action=route.update", Ct));
        var byTarget = await Json.ReadAsync(await _admin.GetAsync("/admin/api/audit?target=chat", Ct));
        var byActorName = await Json.ReadAsync(await _admin.GetAsync($"/admin/api/audit?actor={Uri.EscapeDataString("bootstrap admin (Helix:AdminKey)")}", Ct));
        var byOtherActor = await Json.ReadAsync(await _admin.GetAsync("/admin/api/audit?actor=someone", Ct));
        using var badLimit = await _admin.GetAsync("/admin/api/audit?limit=0", Ct);
        using var badCursor = await _admin.GetAsync("/admin/api/audit?cursor=abc", Ct);

        Assert.Equal([6L, 5L, 4L, 3L, 2L, 1L], ids);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal("chat", Assert.Single(byAction.GetProperty("items").EnumerateArray()).GetProperty("target").GetString());
        Assert.Equal("route.update", Assert.Single(byTarget.GetProperty("items").EnumerateArray()).GetProperty("action").GetString());
        Assert.Equal(6, byActorName.GetProperty("items").GetArrayLength());
        Assert.Equal(0, byOtherActor.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal("application/problem+json", badLimit.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
    }

    [Fact]
    public async Task AuditVerify_IsIntact_ThenNamesTheEntryEditedInTheDatabase()
    {
        for (var i = 0; i < 3; i++)
        {
            using var put = await _admin.PutAsJsonAsync("/admin/api/budgets", new { scope = "user", subject = $"u{i}", period = "day", limitUsd = "1" }, Ct);
        }

        var intact = await Json.ReadAsync(await _admin.GetAsync("/admin/api/audit/verify", Ct));
        EditDatabase("DROP TRIGGER change_history_no_update; UPDATE change_history SET actor_name = 'someone else' WHERE id = 2;");
        var broken = await Json.ReadAsync(await _admin.GetAsync("/admin/api/audit/verify", Ct));

        Assert.True(intact.GetProperty("intact").GetBoolean());
        Assert.Equal(3, intact.GetProperty("entries").GetInt64());
        Assert.Equal(JsonValueKind.Null, intact.GetProperty("firstBrokenId").ValueKind);
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(2, broken.GetProperty("firstBrokenId").GetInt64());
        Assert.Contains("changed after it was written", broken.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsVerify_IsIntactOverServedCalls_ThenNamesTheRowEditedInTheDatabase()
    {
        var http = _factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var call = await ChatAsync(http);
            call.EnsureSuccessStatusCode();
        }

        var intact = await Json.ReadAsync(await _admin.GetAsync("/admin/api/logs/verify", Ct));
        EditDatabase("DROP TRIGGER operation_log_no_update; UPDATE operation_log SET output_tokens = 1 WHERE id = 2;");
        var broken = await Json.ReadAsync(await _admin.GetAsync("/admin/api/logs/verify", Ct));

        Assert.True(intact.GetProperty("intact").GetBoolean(), intact.ToString());
        Assert.Equal(3, intact.GetProperty("entries").GetInt64());
        Assert.False(broken.GetProperty("intact").GetBoolean());
        Assert.Equal(2, broken.GetProperty("firstBrokenId").GetInt64());
    }

    private async Task<JsonElement[]> EntriesAsync()
    {
        var page = await Json.ReadAsync(await _admin.GetAsync("/admin/api/audit?limit=1000", Ct));
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private void EditDatabase(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "helix.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static Task<HttpResponseMessage> ChatAsync(HttpClient http) =>
        http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Price me." } },
        }, Ct);

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");
}
