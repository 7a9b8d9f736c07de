using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helix.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Toggles;

/// <summary>Kill switches and locked toggles through the real gateway and the simulator; each test has its own gateway, as toggles are global.</summary>
public sealed class ToggleAcceptanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<HttpResponseMessage> ChatAsync(GatewayFactory factory) =>
        factory.CreateClient().PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Hello" } },
        }, Ct);

    private static Task<HttpResponseMessage> PutAsync(HttpClient admin, string path, string json) =>
        admin.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    [Fact]
    public async Task KillingChatsPrimaryModel_SendsTheNextCallToItsFallback()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        using (var before = await ChatAsync(factory))
        {
            Assert.Equal("deepseek/deepseek-v4-flash", before.Headers.GetValues("X-Helix-Model").Single());
        }

        using var kill = await PutAsync(admin, "/admin/api/toggles/kill:model:deepseek/deepseek-v4-flash", """{"enabled":true,"owner":"platform"}""");
        using var after = await ChatAsync(factory);

        Assert.Equal(HttpStatusCode.Created, kill.StatusCode);
        var toggle = await Json.ReadAsync(kill);
        Assert.Equal(("model", "deepseek/deepseek-v4-flash", false), (toggle.GetProperty("scope").GetString(), toggle.GetProperty("subject").GetString(), toggle.GetProperty("locked").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("gemini/gemini-2.5-flash", after.Headers.GetValues("X-Helix-Model").Single());
        var requestId = after.Headers.GetValues("X-Helix-Request-Id").Single();
        var rows = (await Json.LogsAsync(admin)).Where(r => r.GetProperty("requestId").GetString() == requestId).ToArray();
        var row = Assert.Single(rows);
        Assert.Equal("gemini/gemini-2.5-flash", row.GetProperty("model").GetString());
    }

    [Fact]
    public async Task KillingTheOperation_AnswersOperationDisabled_AndSwitchingItOffServesTheNextCall()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();

        using var kill = await PutAsync(admin, "/admin/api/toggles/kill:operation:chat", """{"enabled":true}""");
        using var refused = await ChatAsync(factory);
        using var revive = await PutAsync(admin, "/admin/api/toggles/kill:operation:chat", """{"enabled":false}""");
        using var served = await ChatAsync(factory);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var error = (await Json.ReadAsync(refused)).GetProperty("error");
        Assert.Equal("operation_disabled", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("kill:operation:chat", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(HttpStatusCode.OK, revive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var refusedId = refused.Headers.TryGetValues("X-Helix-Request-Id", out var ids) ? ids.Single() : null;
        Assert.DoesNotContain(await Json.LogsAsync(admin), r => r.GetProperty("requestId").GetString() == refusedId);
    }

    [Fact]
    public async Task KillingAProvider_BySlashFreeNameOrEncodedModelName_SkipsItsModels()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();

        using var kill = await PutAsync(admin, "/admin/api/toggles/kill%3Amodel%3Adeepseek%2Fdeepseek-v4-flash", """{"enabled":true}""");
        using var killProvider = await PutAsync(admin, "/admin/api/toggles/kill:provider:gemini", """{"enabled":true}""");
        using var refused = await ChatAsync(factory);

        Assert.Equal("kill:model:deepseek/deepseek-v4-flash", (await Json.ReadAsync(kill)).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var message = (await Json.ReadAsync(refused)).GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("kill:provider:gemini", message, StringComparison.Ordinal);
        Assert.Contains("kill:model:deepseek/deepseek-v4-flash", message, StringComparison.Ordinal);
        Assert.Empty(factory.Simulator.Ledger);
    }

    [Fact]
    public async Task GetToggles_ListsTheLockedSafetyToggles()
    {
        using var factory = new GatewayFactory();

        var body = await Json.ReadAsync(await factory.CreateAdminClient().GetAsync("/admin/api/toggles", Ct));

        var items = body.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!);
        foreach (var name in new[] { "agents-cannot-change-routes", "agents-cannot-approve", "money-operations-require-approval", "recommendations-require-approval" })
        {
            var item = items[name];
            Assert.True(item.GetProperty("enabled").GetBoolean());
            Assert.True(item.GetProperty("locked").GetBoolean());
            Assert.Equal("global", item.GetProperty("scope").GetString());
            Assert.False(string.IsNullOrEmpty(item.GetProperty("description").GetString()));
            Assert.False(string.IsNullOrEmpty(item.GetProperty("owner").GetString()));
        }
    }

    [Theory]
    [InlineData("PUT", """{"enabled":false}""")]
    [InlineData("PUT", """{"enabled":true}""")]
    [InlineData("PUT", "not json")]
    [InlineData("DELETE", null)]
    public async Task ChangingALockedToggle_AsAdmin_Answers409ToggleLockedAndChangesNothing(string method, string? body)
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var before = (await Json.ReadAsync(await admin.GetAsync("/admin/api/toggles", Ct))).GetRawText();

        using var request = new HttpRequestMessage(new HttpMethod(method), "/admin/api/toggles/agents-cannot-approve")
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        using var response = await admin.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal("toggle_locked", problem.GetProperty("code").GetString());
        Assert.Contains("agents-cannot-approve", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await Json.ReadAsync(await admin.GetAsync("/admin/api/toggles", Ct))).GetRawText());
        Assert.Empty(await factory.Services.GetRequiredService<IChangeHistory>().ListAsync(10, cancellationToken: Ct));
    }

    [Fact]
    public async Task SetAndDelete_AppendToTheChangeHistoryWithThePrincipal()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();

        using var created = await PutAsync(admin, "/admin/api/toggles/new-dashboard", """{"enabled":true,"description":"The new dashboard","owner":"ui-team"}""");
        using var changed = await PutAsync(admin, "/admin/api/toggles/new-dashboard", """{"enabled":false}""");
        using var deleted = await admin.DeleteAsync("/admin/api/toggles/new-dashboard", Ct);
        using var again = await admin.DeleteAsync("/admin/api/toggles/new-dashboard", Ct);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound), (created.StatusCode, changed.StatusCode, deleted.StatusCode, again.StatusCode));
        var changedBody = await Json.ReadAsync(changed);
        Assert.Equal(("The new dashboard", "ui-team", "bootstrap-admin"), (changedBody.GetProperty("description").GetString(), changedBody.GetProperty("owner").GetString(), changedBody.GetProperty("updatedBy").GetString()));
        var history = (await factory.Services.GetRequiredService<IChangeHistory>().ListAsync(10, cancellationToken: Ct)).Reverse().ToArray();
        Assert.Equal(["toggle.set", "toggle.set", "toggle.delete"], history.Select(h => h.Change.Action));
        Assert.All(history, h => Assert.Equal(("bootstrap-admin", "new-dashboard"), (h.Change.ActorId, h.Change.Target)));
        Assert.Null(history[0].Change.Before);
        Assert.True(JsonDocument.Parse(history[0].Change.After!).RootElement.GetProperty("enabled").GetBoolean());
        Assert.False(JsonDocument.Parse(history[1].Change.After!).RootElement.GetProperty("enabled").GetBoolean());
        Assert.Null(history[2].Change.After);
        Assert.True((await factory.Services.GetRequiredService<IChangeHistory>().VerifyAsync(Ct)).IsIntact);
    }

    [Theory]
    [InlineData("new-dashboard", """{"enabled":true,"color":"red"}""", "color")]
    [InlineData("new-dashboard", """{"enabled":"yes"}""", "enabled")]
    [InlineData("new-dashboard", """{"owner":"ui"}""", "enabled")]
    [InlineData("new-dashboard", """[true]""", "body")]
    [InlineData("new-dashboard", """{"enabled":true,"scope":"planet"}""", "scope")]
    [InlineData("new-dashboard", """{"enabled":true,"owner":42}""", "owner")]
    [InlineData("new-dashboard", """{"enabled":true,"scope":"operation"}""", "toggle_scope_mismatch")]
    [InlineData("kill:provider:gemini", """{"enabled":true,"scope":"model"}""", "toggle_scope_mismatch")]
    [InlineData("kill:everything", """{"enabled":true}""", "invalid_toggle_name")]
    [InlineData("bad%20name", """{"enabled":true}""", "invalid_toggle_name")]
    public async Task BadInput_Answers400AndChangesNothing(string name, string body, string expected)
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();

        using var response = await PutAsync(admin, $"/admin/api/toggles/{name}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json.ReadAsync(response);
        var named = problem.TryGetProperty("field", out var field) ? field.GetString() : problem.GetProperty("code").GetString();
        Assert.Equal(expected, named);
        var items = (await Json.ReadAsync(await admin.GetAsync("/admin/api/toggles", Ct))).GetProperty("items");
        Assert.All(items.EnumerateArray(), i => Assert.True(i.GetProperty("locked").GetBoolean()));
        Assert.Empty(await factory.Services.GetRequiredService<IChangeHistory>().ListAsync(10, cancellationToken: Ct));
    }
}
