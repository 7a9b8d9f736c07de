using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helix.Core.Audit;
using Helix.Core.Pricing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Helix.Dashboard.Tests;

/// <summary>The approvals, keys, price-import and reconciliation pages in a real browser against the real gateway.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardSettingsBrowserTests(DashboardHost host)
{
    private const string ChatBody = """{"model":"op:OPERATION","max_tokens":16,"messages":[{"role":"user","content":"Pay the supplier invoice 42."}]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Approval_ApprovedInTheUi_LetsTheWaitingCallThroughOnce()
    {
        var operation = await CreateOperationNeedingApprovalAsync();
        var body = ChatBody.Replace("OPERATION", operation, StringComparison.Ordinal);

        using var asked = await PostChatAsync(body);
        Assert.Equal(HttpStatusCode.Forbidden, asked.StatusCode);
        var error = (await ReadAsync(asked)).GetProperty("error");
        Assert.Equal("approval_required", error.GetProperty("code").GetString());
        var id = error.GetProperty("approval_id").GetString()!;

        // The caller waits for a decision on its request; an operator decides it in the browser.
        var waiting = PostChatAsync(body, id, waitSeconds: 60);
        var page = await host.SignInAsync("olive");
        await host.GotoAsync(page, "/approvals");
        var row = page.Locator($"#approval-{id}");
        await Assertions.Expect(row.Locator(".approval-status")).ToHaveTextAsync("pending");
        await Assertions.Expect(row.Locator(".approval-policy")).ToHaveTextAsync("always");
        await Assertions.Expect(row).ToContainTextAsync(operation);
        Assert.False(waiting.IsCompleted);
        await DashboardHost.ScreenshotAsync(page, "tier2-approvals-pending");
        await row.Locator(".approve-button").ClickAsync();

        using var served = await waiting;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(operation, served.Headers.GetValues("X-Helix-Operation").Single());

        // The queue refreshes itself: the approval was used by the call it let through.
        await Assertions.Expect(row.Locator(".approval-status")).ToHaveTextAsync("consumed", new() { Timeout = 10_000 });
        await Assertions.Expect(row).ToContainTextAsync("olive");
        await DashboardHost.ScreenshotAsync(page, "tier2-approvals");

        using var again = await PostChatAsync(body, id);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Equal("approval_consumed", (await ReadAsync(again)).GetProperty("error").GetProperty("code").GetString());

        var history = await host.Services.GetRequiredService<IChangeHistory>().ListAsync(10, target: id, cancellationToken: Ct);
        var entry = Assert.Single(history);
        Assert.Equal(("approval.approve", "olive"), (entry.Change.Action, entry.Change.ActorName));
        Assert.Contains("\"status\":\"pending\"", entry.Change.Before, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Approval_RejectedInTheUi_NeedsAReason_AndTheRetryIsRefusedWithIt()
    {
        var operation = await CreateOperationNeedingApprovalAsync();
        var body = ChatBody.Replace("OPERATION", operation, StringComparison.Ordinal);
        using var asked = await PostChatAsync(body);
        var id = (await ReadAsync(asked)).GetProperty("error").GetProperty("approval_id").GetString()!;

        var page = await host.SignInAsync("admin");
        await host.GotoAsync(page, "/approvals");
        var row = page.Locator($"#approval-{id}");
        await row.Locator(".reject-button").ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-reject")).ToBeDisabledAsync();
        await page.Locator("#reject-form textarea").First.FillAsync("Invoice 42 was paid yesterday.");
        await Assertions.Expect(page.Locator("#confirm-reject")).ToBeEnabledAsync();
        await page.ClickAsync("#confirm-reject");
        await Assertions.Expect(row.Locator(".approval-status")).ToHaveTextAsync("rejected");

        using var retry = await PostChatAsync(body, id);
        Assert.Equal(HttpStatusCode.Forbidden, retry.StatusCode);
        var error = (await ReadAsync(retry)).GetProperty("error");
        Assert.Equal("approval_rejected", error.GetProperty("code").GetString());
        Assert.Contains("Invoice 42 was paid yesterday.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Keys_CreatedInTheUi_ShownOnceAndWorking_ThenRevokedWithConfirmation()
    {
        var name = $"reporting-{Guid.NewGuid():N}"[..20];
        var page = await host.SignInAsync("admin");
        await host.GotoAsync(page, "/keys");

        // A person's key (viewer): an app key would switch the shared gateway's anonymous data plane off.
        // Checked before Create, so a missed click fails this test rather than leave an app key behind.
        await page.FillAsync("#new-key-name", name);
        var viewerRole = page.Locator("#new-key-role label", new() { HasText = "viewer" }).Locator("input[type=radio]");
        await viewerRole.CheckAsync();
        await Assertions.Expect(viewerRole).ToBeCheckedAsync();
        await page.ClickAsync("#create-key");
        var shown = page.Locator("#created-key");
        await Assertions.Expect(shown).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^hlx_viewer_"));
        var key = await shown.InputValueAsync();
        var row = page.Locator("tr.key-row", new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("viewer");
        await Assertions.Expect(row).ToContainTextAsync("never");
        await DashboardHost.ScreenshotAsync(page, "settings-keys-created");

        using (var allowed = await GetWithKeyAsync("/admin/api/approvals", key))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        // Shown once: a fresh visit shows the key's row, never the key.
        await host.GotoAsync(page, "/keys");
        await Assertions.Expect(row).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#created-key").CountAsync());
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        await row.Locator(".revoke-button").ClickAsync();
        await page.Locator(".mud-dialog .mud-button", new() { HasText = "Cancel" }).ClickAsync();
        await Assertions.Expect(row.Locator(".key-revoked-at")).ToHaveTextAsync("");
        await row.Locator(".revoke-button").ClickAsync();
        await page.Locator(".mud-dialog .mud-button", new() { HasText = "Revoke" }).ClickAsync();
        await Assertions.Expect(row.Locator(".key-revoked-at")).Not.ToHaveTextAsync("");
        await Assertions.Expect(row.Locator(".revoke-button")).ToBeDisabledAsync();
        await DashboardHost.ScreenshotAsync(page, "settings-keys");

        using (var refused = await GetWithKeyAsync("/admin/api/approvals", key))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var actions = (await host.Services.GetRequiredService<IChangeHistory>().ListAsync(20, cancellationToken: Ct))
            .Where(e => e.Change.Action.StartsWith("key.", StringComparison.Ordinal)).Select(e => e.Change).ToArray();
        Assert.Equal(["key.revoke", "key.create"], actions.Take(2).Select(c => c.Action));
        Assert.All(actions, c => Assert.DoesNotContain(key, (c.Before ?? "") + c.After, StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Keys_EditedInTheUi_NewNameAndRoleApplyFromTheNextRequest_AndAreRecorded()
    {
        var name = $"auditor-{Guid.NewGuid():N}"[..20];
        var renamed = $"on-call-{Guid.NewGuid():N}"[..20];
        string id, key;
        using (var created = await SendAdminAsync(HttpMethod.Post, "/admin/api/keys", new { name, role = "viewer" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = await ReadAsync(created);
            (id, key) = (body.GetProperty("id").GetString()!, body.GetProperty("key").GetString()!);
        }

        var operation = $"edit-{Guid.NewGuid():N}"[..20];
        using (var refused = await SendWithKeyAsync(HttpMethod.Post, "/admin/api/routes", new { operation, primaryModel = "deepseek/deepseek-v4-flash" }, key))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var page = await host.SignInAsync("admin");
        await host.GotoAsync(page, "/keys");
        var row = page.Locator($"#key-{id}");
        await row.Locator(".edit-button").ClickAsync();
        await Assertions.Expect(page.Locator("#key-form-title")).ToContainTextAsync(id);
        await Assertions.Expect(page.Locator("#new-key-name")).ToHaveValueAsync(name);
        await Assertions.Expect(page.Locator("#create-key")).ToHaveCountAsync(0);
        await page.FillAsync("#new-key-name", renamed);
        var operatorRole = page.Locator("#new-key-role label", new() { HasText = "operator" }).Locator("input[type=radio]");
        await operatorRole.CheckAsync();
        await Assertions.Expect(operatorRole).ToBeCheckedAsync();
        await page.ClickAsync("#save-key");

        await Assertions.Expect(row.Locator(".key-name")).ToHaveTextAsync(renamed);
        await Assertions.Expect(row).ToContainTextAsync("operator");
        await Assertions.Expect(page.Locator("#key-form-title")).ToHaveTextAsync("New key");
        using (var allowed = await SendWithKeyAsync(HttpMethod.Post, "/admin/api/routes", new { operation, primaryModel = "deepseek/deepseek-v4-flash" }, key))
        {
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        }

        var change = (await host.Services.GetRequiredService<IChangeHistory>().ListAsync(20, cancellationToken: Ct)).First(e => e.Change.Action == "key.update").Change;
        Assert.Equal((id, "admin"), (change.Target, change.ActorName));
        Assert.Contains(name, change.Before, StringComparison.Ordinal);
        Assert.Contains(renamed, change.After, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"operator\"", change.After, StringComparison.Ordinal);
        Assert.DoesNotContain(key, change.Before + change.After, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PriceImport_PlannedFromAnUploadedMap_AppliedByAnAdmin()
    {
        var model = $"helix-test-{Guid.NewGuid():N}"[..24];
        var map = Encoding.UTF8.GetBytes(
            $$$"""{"{{{model}}}":{"litellm_provider":"openai","mode":"chat","input_cost_per_token":4e-07,"output_cost_per_token":1.6e-06}}""");
        var page = await host.SignInAsync("admin");
        await host.GotoAsync(page, "/prices");

        await page.Locator("#price-import input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "prices.json", MimeType = "application/json", Buffer = map });
        await Assertions.Expect(page.Locator("#import-plan-summary")).ToContainTextAsync("1 added, 0 changed");
        await Assertions.Expect(page.Locator("tr.import-added")).ToContainTextAsync(model);
        var costs = host.Services.GetRequiredService<CostEngine>();
        Assert.Null(costs.Book.Resolve("openai", model));
        await DashboardHost.ScreenshotAsync(page, "settings-prices-import-plan");

        await page.ClickAsync("#apply-import");
        await Assertions.Expect(page.Locator("#import-plan-summary")).ToContainTextAsync("applied");
        await Assertions.Expect(page.Locator("tr.price-row", new() { HasText = model })).ToContainTextAsync("yes");
        Assert.NotNull(costs.Book.Resolve("openai", model));
        await Assertions.Expect(page.Locator("#apply-import")).ToBeDisabledAsync();

        // The same map again: nothing left to change.
        await page.Locator("#price-import input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "prices-again.json", MimeType = "application/json", Buffer = map });
        await Assertions.Expect(page.Locator("#import-plan-summary")).ToContainTextAsync("0 added, 0 changed, 1 unchanged");
        await Assertions.Expect(page.Locator("#apply-import")).ToBeDisabledAsync();

        var change = (await host.Services.GetRequiredService<IChangeHistory>().ListAsync(10, cancellationToken: Ct)).First(e => e.Change.Action == "prices.import").Change;
        Assert.Equal("admin", change.ActorName);
        Assert.Contains(model, change.After, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PriceImport_NotAPriceMap_IsRefusedAndChangesNothing()
    {
        var page = await host.SignInAsync("admin");
        await host.GotoAsync(page, "/prices");

        await page.Locator("#price-import input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "broken.json", MimeType = "application/json", Buffer = "[1,2"u8.ToArray() });

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Not a LiteLLM price map");
        Assert.Equal(0, await page.Locator("#import-plan").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reconciliation_UploadedExport_ShowsTheBuckets_AndListsTheReport()
    {
        var day = host.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.Date;
        var start = new DateTimeOffset(day, TimeSpan.Zero).ToUnixTimeSeconds();
        var export = Encoding.UTF8.GetBytes($$"""
            {"object":"page","data":[{"object":"bucket","start_time":{{start}},"end_time":{{start + 86400}},
              "results":[{"object":"organization.costs.result","amount":{"value":0.0123,"currency":"usd"},"line_item":"gpt-4.1-mini, input"}]}],
             "has_more":false,"next_page":null}
            """);
        var page = await host.SignInAsync("olive");
        await host.GotoAsync(page, "/reconciliation");

        await page.Locator("#reconcile-form input[type=file]").SetInputFilesAsync(new FilePayload { Name = "openai-costs.json", MimeType = "application/json", Buffer = export });

        await Assertions.Expect(page.Locator("#reconciliation-report")).ToContainTextAsync("openai");
        await Assertions.Expect(page.Locator("#report-verdict")).ToContainTextAsync("$0.0123");
        await Assertions.Expect(page.Locator("tr.bucket-row", new() { HasText = "gpt-4.1-mini" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr.report-row").First).ToBeVisibleAsync();
        await DashboardHost.ScreenshotAsync(page, "settings-reconciliation");

        var reports = await host.Services.GetRequiredService<Helix.Core.Reconciliation.IReconciliationStore>().ListAsync(1, Ct);
        var report = Assert.Single(reports);
        Assert.Equal(0.0123m, report.Totals.TheirsUsd);
        await Assertions.Expect(page.Locator($"#report-{report.Id}")).ToBeVisibleAsync();
        var change = (await host.Services.GetRequiredService<IChangeHistory>().ListAsync(10, cancellationToken: Ct)).First(e => e.Change.Action == "reconciliation.create").Change;
        Assert.Equal(("olive", report.Id.ToString(CultureInfo.InvariantCulture)), (change.ActorName, change.Target));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_SeesNoEnabledControl_OnTheApprovalsKeysPricesAndReconciliationPages()
    {
        var operation = await CreateOperationNeedingApprovalAsync();
        using var asked = await PostChatAsync(ChatBody.Replace("OPERATION", operation, StringComparison.Ordinal));
        var id = (await ReadAsync(asked)).GetProperty("error").GetProperty("approval_id").GetString()!;
        var page = await host.SignInAsync("victor");

        await host.GotoAsync(page, "/approvals");
        await Assertions.Expect(page.Locator($"#approval-{id} .approval-status")).ToHaveTextAsync("pending");
        foreach (var button in await page.Locator("#approval-table button").AllAsync())
        {
            await Assertions.Expect(button).ToBeDisabledAsync();
        }

        await DashboardHost.ScreenshotAsync(page, "viewer-approvals");

        await host.GotoAsync(page, "/keys");
        await Assertions.Expect(page.Locator("#keys-admin-only")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#create-key, #key-table").CountAsync());

        await host.GotoAsync(page, "/prices");
        await Assertions.Expect(page.Locator("tr.price-row").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#choose-price-map")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#price-import input[type=file]")).ToBeDisabledAsync();

        await host.GotoAsync(page, "/reconciliation");
        await Assertions.Expect(page.Locator("#choose-export")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#reconcile-form input[type=file]")).ToBeDisabledAsync();
        foreach (var input in await page.Locator("#reconcile-form input:not([type=file])").AllAsync())
        {
            await Assertions.Expect(input).ToBeDisabledAsync();
        }

        await DashboardHost.ScreenshotAsync(page, "viewer-reconciliation");

        // The server refuses whatever a page would not offer.
        var viewer = new Helix.Core.Principals.Principal("user:victor", "victor", Helix.Core.Principals.PrincipalRole.Viewer);
        Assert.False((await host.Services.GetRequiredService<Model.ApprovalDecisions>().DecideAsync(viewer, id, approve: true, null, Ct)).Succeeded);
        Assert.False((await host.Services.GetRequiredService<Model.KeyCommands>().CreateAsync(viewer, "x", Helix.Core.Principals.PrincipalRole.Viewer, null, null, Ct)).Result.Succeeded);
        Assert.False(host.Services.GetRequiredService<Model.PriceImports>().Plan(viewer, "{}"u8.ToArray()).Result.Succeeded);
        Assert.False((await host.Services.GetRequiredService<Model.Reconciliations>().ReconcileAsync(viewer, "openai", "{\"data\":[]}", null, Ct)).Result.Succeeded);
        Assert.Equal("pending", (await ReadAsync(await GetWithKeyAsync($"/admin/api/approvals/{id}", DashboardHost.AdminKey))).GetProperty("status").GetString());
        await page.Context.CloseAsync();
    }

    // A new operation on chat's model whose route policy asks a human for every call.
    private async Task<string> CreateOperationNeedingApprovalAsync()
    {
        var operation = $"approve-{Guid.NewGuid():N}"[..24];
        var primary = host.Services.GetRequiredService<Helix.Core.Routing.RouteTable>().Current.TryGetRoute("chat", out var chat) ? chat.Route.PrimaryModel : "deepseek/deepseek-v4-flash";
        using (var created = await SendAdminAsync(HttpMethod.Post, "/admin/api/routes", new { operation, primaryModel = primary }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var put = await SendAdminAsync(HttpMethod.Put, $"/admin/api/routes/{operation}", new { approval = new { policy = "always" } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        return operation;
    }

    private async Task<HttpResponseMessage> SendAdminAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, host.BaseUrl + path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DashboardHost.AdminKey);
        return await host.Http.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> SendWithKeyAsync(HttpMethod method, string path, object body, string key)
    {
        using var request = new HttpRequestMessage(method, host.BaseUrl + path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await host.Http.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> GetWithKeyAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, host.BaseUrl + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await host.Http.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> PostChatAsync(string body, string? approvalId = null, int? waitSeconds = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (approvalId is not null)
        {
            request.Headers.Add("X-Helix-Approval", approvalId);
        }

        if (waitSeconds is { } wait)
        {
            request.Headers.Add("X-Helix-Approval-Wait", wait.ToString(CultureInfo.InvariantCulture));
        }

        return await host.Http.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
}
