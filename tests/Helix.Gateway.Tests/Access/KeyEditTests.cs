using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helix.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Access;

/// <summary><c>PATCH /admin/api/keys/{id}</c> on a gateway of its own per test: the data plane sees an edit from the next request.</summary>
public sealed class KeyEditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Edit_NameOperationsAndRate_TheNextRequestSeesThem_HistoryHasBeforeAndAfter()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var app = await Keys.CreateAsync(admin, "chat only", "app", ["chat"], requestsPerMinute: 2);
        var client = Keys.Client(factory, app.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models", Ct)).StatusCode);
        await Keys.AssertErrorAsync(await client.GetAsync("/v1/models", Ct), HttpStatusCode.TooManyRequests, "rate_limited");

        using var edited = await PatchAsync(admin, app.Id, """{"name":"drafts","operations":["Email-Drafting"],"requestsPerMinute":5}""");

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var body = await Json.ReadAsync(edited);
        Assert.Equal("drafts", body.GetProperty("name").GetString());
        Assert.Equal("app", body.GetProperty("role").GetString());
        Assert.Equal(["email-drafting"], body.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(5, body.GetProperty("requestsPerMinute").GetInt32());
        Assert.False(body.TryGetProperty("key", out _));

        // The new limit is a new window, and the new operations replace the old at once.
        var models = await Json.ReadAsync(await client.GetAsync("/v1/models", Ct));
        Assert.Equal(["op:email-drafting"], models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        using var chat = await Keys.ChatAsync(client);
        await Keys.AssertErrorAsync(chat, HttpStatusCode.Forbidden, "forbidden");
        using var drafting = await Keys.ChatAsync(client, "email-drafting");
        Assert.Equal(HttpStatusCode.OK, drafting.StatusCode);

        var entry = Assert.Single(await factory.Services.GetRequiredService<IChangeHistory>().ListAsync(1000, cancellationToken: Ct), e => e.Change.Action == "key.update");
        Assert.Equal(app.Id, entry.Change.Target);
        Assert.Equal("bootstrap-admin", entry.Change.ActorId);
        var before = JsonDocument.Parse(entry.Change.Before!).RootElement;
        var after = JsonDocument.Parse(entry.Change.After!).RootElement;
        Assert.Equal(("chat only", 2), (before.GetProperty("name").GetString(), before.GetProperty("requestsPerMinute").GetInt32()));
        Assert.Equal(("drafts", 5), (after.GetProperty("name").GetString(), after.GetProperty("requestsPerMinute").GetInt32()));
        Assert.DoesNotContain(app.Key, entry.Change.After!, StringComparison.Ordinal);
        var listed = (await Json.ReadAsync(await admin.GetAsync("/admin/api/keys", Ct))).GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == app.Id);
        Assert.Equal("drafts", listed.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Edit_AppKeyToAPersonsRole_RefusedWhileItKeepsOperations_ThenAViewerKey()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var app = await Keys.CreateAsync(admin, "soon a person", "app", ["chat"]);
        var client = Keys.Client(factory, app.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/api/routes", Ct)).StatusCode);
        var listBefore = await admin.GetStringAsync("/admin/api/keys", Ct);

        using var refused = await PatchAsync(admin, app.Id, """{"role":"viewer"}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Only app and agent keys", (await Json.ReadAsync(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(listBefore, await admin.GetStringAsync("/admin/api/keys", Ct));
        Assert.Equal(HttpStatusCode.OK, (await Keys.ChatAsync(client)).StatusCode);

        using var edited = await PatchAsync(admin, app.Id, """{"role":"viewer","operations":null}""");

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var body = await Json.ReadAsync(edited);
        Assert.Equal("viewer", body.GetProperty("role").GetString());
        Assert.False(body.TryGetProperty("operations", out var operations) && operations.ValueKind != JsonValueKind.Null);
        await Keys.AssertErrorAsync(await Keys.ChatAsync(client), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/api/routes", Ct)).StatusCode);
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string id, string json) =>
        client.PatchAsync($"/admin/api/keys/{id}", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
}
