using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.Access;

/// <summary><c>/admin/api/keys</c>: a key is shown once, never again, never in the history; revocation works from the next request.</summary>
public sealed class KeyApiTests : IClassFixture<GatewayFactory>
{
    private readonly GatewayFactory _factory;

    public KeyApiTests(GatewayFactory factory) => _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_ShowsTheKeyOnce_ListAndHistoryNeverHoldIt()
    {
        var admin = _factory.CreateAdminClient();

        var created = await Keys.CreateAsync(admin, "reporting app", "app", ["chat", "Sentiment-Analysis"], requestsPerMinute: 120);

        Assert.StartsWith("hlx_app_", created.Key, StringComparison.Ordinal);
        Assert.Equal(8 + 43, created.Key.Length);
        Assert.Equal(32, Convert.FromBase64String(created.Key[8..].Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.StartsWith("key_", created.Id, StringComparison.Ordinal);
        Assert.Equal(["chat", "sentiment-analysis"], created.Body.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(120, created.Body.GetProperty("requestsPerMinute").GetInt32());
        Assert.Equal("bootstrap-admin", created.Body.GetProperty("createdBy").GetString());

        var list = await admin.GetStringAsync("/admin/api/keys", Ct);
        var history = await HistoryTextAsync();
        Assert.DoesNotContain(created.Key, list, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key[8..], list, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", list, StringComparison.OrdinalIgnoreCase);
        var item = JsonDocument.Parse(list).RootElement.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == created.Id);
        Assert.Equal("reporting app", item.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("revokedAt").ValueKind);
        Assert.False(item.TryGetProperty("key", out _));
        Assert.Contains($"\"key.create\"", history, StringComparison.Ordinal);
        Assert.Contains(created.Id, history, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key, history, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key[8..], history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_TheNextRequestIsRefused_RevokingAgainChangesNothing()
    {
        var admin = _factory.CreateAdminClient();
        var viewer = await Keys.CreateAsync(admin, "auditor", "viewer");
        var asViewer = Keys.Client(_factory, viewer.Key);
        Assert.Equal(HttpStatusCode.OK, (await asViewer.GetAsync("/admin/api/routes", Ct)).StatusCode);

        using var revoke = await admin.DeleteAsync($"/admin/api/keys/{viewer.Id}", Ct);
        var refused = await asViewer.GetAsync("/admin/api/routes", Ct);
        using var again = await admin.DeleteAsync($"/admin/api/keys/{viewer.Id}", Ct);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var revokedAt = (await Json.ReadAsync(revoke)).GetProperty("revokedAt").GetDateTimeOffset();
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(revokedAt, (await Json.ReadAsync(again)).GetProperty("revokedAt").GetDateTimeOffset());
        var history = await HistoryTextAsync();
        Assert.Equal(1, CountOf(history, $"\"key.revoke\",\"target\":\"{viewer.Id}\""));
        Assert.DoesNotContain(viewer.Key, history, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/admin/api/keys/key_0000000000000000", Ct)).StatusCode);
    }

    [Fact]
    public async Task UsedKey_ListShowsLastUsedAt()
    {
        var admin = _factory.CreateAdminClient();
        var viewer = await Keys.CreateAsync(admin, "last used", "viewer");

        Assert.Equal(HttpStatusCode.OK, (await Keys.Client(_factory, viewer.Key).GetAsync("/admin/api/models", Ct)).StatusCode);

        var list = await Json.ReadAsync(await admin.GetAsync("/admin/api/keys", Ct));
        var item = list.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == viewer.Id);
        Assert.Equal(JsonValueKind.String, item.GetProperty("lastUsedAt").ValueKind);
    }

    [Fact]
    public async Task KeyOfEachHumanRole_AuthenticatesAsItself_RouteChangeNamesIt()
    {
        var admin = _factory.CreateAdminClient();
        var op = await Keys.CreateAsync(admin, "ops on call", "operator");

        using var response = await Keys.Client(_factory, op.Key).PostAsJsonAsync(
            "/admin/api/routes", new { operation = "key-audit-probe", primaryModel = "deepseek/deepseek-v4-flash" }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(op.Id, (await Json.ReadAsync(response)).GetProperty("updatedBy").GetString());
    }

    public static TheoryData<string> BadBodies => new()
    {
        "{",
        "[]",
        """{"name":"x"}""",
        """{"role":"app"}""",
        """{"name":"","role":"app"}""",
        """{"name":"x","role":"root"}""",
        """{"name":"x","role":"1"}""",
        """{"name":7,"role":"app"}""",
        """{"name":"x","role":"app","extra":1}""",
        """{"name":"x","role":"app","role":"admin"}""",
        """{"name":"x","role":"app","operations":"chat"}""",
        """{"name":"x","role":"app","operations":[]}""",
        """{"name":"x","role":"app","operations":[7]}""",
        """{"name":"x","role":"app","operations":["bad name!"]}""",
        """{"name":"x","role":"viewer","operations":["chat"]}""",
        """{"name":"x","role":"app","requestsPerMinute":0}""",
        """{"name":"x","role":"app","requestsPerMinute":1.5}""",
        """{"name":"x","role":"app","requestsPerMinute":"10"}""",
        """{"name":"x","role":"admin","requestsPerMinute":10}""",
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_BadBody_ProblemDetailsAndNoKey(string body)
    {
        var admin = _factory.CreateAdminClient();
        var before = await admin.GetStringAsync("/admin/api/keys", Ct);

        using var response = await admin.PostAsync("/admin/api/keys", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (await Json.ReadAsync(response)).GetProperty("status").GetInt32());
        Assert.Equal(before, await admin.GetStringAsync("/admin/api/keys", Ct));
    }

    public static TheoryData<string> BadEdits => new()
    {
        "{",
        "[]",
        "{}",
        """{"name":""}""",
        """{"name":7}""",
        """{"name":"a","name":"b"}""",
        """{"role":"root"}""",
        """{"role":null}""",
        """{"extra":1}""",
        """{"operations":"chat"}""",
        """{"operations":[]}""",
        """{"operations":["bad name!"]}""",
        """{"requestsPerMinute":0}""",
        """{"requestsPerMinute":"10"}""",
        """{"role":"admin"}""",
        """{"role":"operator","requestsPerMinute":null}""",
    };

    [Theory]
    [MemberData(nameof(BadEdits))]
    public async Task Edit_BadBody_ProblemDetailsAndNothingChanged(string body)
    {
        var admin = _factory.CreateAdminClient();
        var key = await Keys.CreateAsync(admin, "edit target", "agent", ["chat"], requestsPerMinute: 30);
        var before = await admin.GetStringAsync("/admin/api/keys", Ct);
        var history = await HistoryTextAsync();

        using var response = await admin.PatchAsync($"/admin/api/keys/{key.Id}", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (await Json.ReadAsync(response)).GetProperty("status").GetInt32());
        Assert.Equal(before, await admin.GetStringAsync("/admin/api/keys", Ct));
        Assert.Equal(history, await HistoryTextAsync());
    }

    [Fact]
    public async Task Edit_UnknownRevokedOrOwnRole_RefusedAndNothingChanged_SameSettingsRecordNothing()
    {
        var admin = _factory.CreateAdminClient();
        var revoked = await Keys.CreateAsync(admin, "gone", "viewer");
        (await admin.DeleteAsync($"/admin/api/keys/{revoked.Id}", Ct)).EnsureSuccessStatusCode();
        var self = await Keys.CreateAsync(admin, "self editor", "admin");
        var asSelf = Keys.Client(_factory, self.Key);
        var before = await SettingsAsync(admin);
        var history = await HistoryTextAsync();

        using var unknown = await admin.PatchAsync("/admin/api/keys/key_0000000000000000", Body("""{"name":"x"}"""), Ct);
        using var gone = await admin.PatchAsync($"/admin/api/keys/{revoked.Id}", Body("""{"name":"back"}"""), Ct);
        using var demote = await asSelf.PatchAsync($"/admin/api/keys/{self.Id}", Body("""{"role":"viewer"}"""), Ct);
        using var same = await admin.PatchAsync($"/admin/api/keys/{self.Id}", Body("""{"name":"self editor","role":"admin"}"""), Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, gone.StatusCode);
        Assert.Contains("revoked", (await Json.ReadAsync(gone)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(before, await SettingsAsync(admin));
        Assert.Equal(history, await HistoryTextAsync());

        using var renamed = await asSelf.PatchAsync($"/admin/api/keys/{self.Id}", Body("""{"name":"renamed by itself"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("renamed by itself", (await Json.ReadAsync(renamed)).GetProperty("name").GetString());
        Assert.Equal(1, CountOf(await HistoryTextAsync(), $"\"key.update\",\"target\":\"{self.Id}\""));
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    // Every key's settings and revocation, without its last use (a key editing itself is used by doing so).
    private static async Task<string> SettingsAsync(HttpClient admin)
    {
        var list = await Json.ReadAsync(await admin.GetAsync("/admin/api/keys", Ct));
        return string.Join('\n', list.GetProperty("items").EnumerateArray().Select(k =>
        {
            var item = System.Text.Json.Nodes.JsonNode.Parse(k.GetRawText())!.AsObject();
            item.Remove("lastUsedAt");
            return item.ToJsonString();
        }));
    }

    private async Task<string> HistoryTextAsync()
    {
        var history = _factory.Services.GetService(typeof(Helix.Core.Audit.IChangeHistory)) as Helix.Core.Audit.IChangeHistory;
        Assert.NotNull(history);
        var entries = await history.ListAsync(1000, cancellationToken: Ct);
        return JsonSerializer.Serialize(entries.Select(e => new { action = e.Change.Action, target = e.Change.Target, before = e.Change.Before, after = e.Change.After }));
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
