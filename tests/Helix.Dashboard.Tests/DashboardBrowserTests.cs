using System.Net.Http.Json;
using System.Text.Json;
using Helix.Core.Insights;
using Helix.Core.OperationLog;
using Helix.Core.Routing;
using Helix.Dashboard.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Helix.Dashboard.Tests;

/// <summary>The dashboard in a real browser (Debian's chromium) against a real gateway after <c>helix demo</c>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardHost host)
{
    [Theory]
    [InlineData("admin", "admin")]
    [InlineData("olive", "operator")]
    [InlineData("victor", "viewer")]
    public async Task SignIn_EachRole_ShowsTheOverviewAsThatRole(string name, string role)
    {
        var page = await host.SignInAsync(name);

        await Assertions.Expect(page.Locator("#signed-in-as")).ToHaveTextAsync($"{name} ({role})");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Overview");
        await DashboardHost.ScreenshotAsync(page, $"signin-{role}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_WrongPassword_IsRefusedWithoutSigningIn()
    {
        var context = await host.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.FillAsync("#name", "victor");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#sign-in");

        await Assertions.Expect(page.Locator("#signin-error")).ToHaveTextAsync("Wrong name or password.");
        await DashboardHost.ScreenshotAsync(page, "signin-refused");
        await context.CloseAsync();
    }

    [Fact]
    public async Task EveryPage_AfterDemoTraffic_RendersRealData()
    {
        var page = await host.SignInAsync("admin");

        // Tier 1: spend, cost per operation, models, time series, latency, log and one call.
        await Assertions.Expect(page.Locator("#cost-by-operation tbody tr")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#cost-by-operation")).ToContainTextAsync("video-understanding");
        await Assertions.Expect(page.Locator("#model-distribution svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#latency-heatmap svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#budgets-today")).ToContainTextAsync("global day");
        await Assertions.Expect(page.Locator("#quality tbody tr")).Not.ToHaveCountAsync(0);
        await DashboardHost.ScreenshotAsync(page, "tier1-overview");

        await host.GotoAsync(page, "/log");
        await Assertions.Expect(page.Locator("tr.log-row")).Not.ToHaveCountAsync(0);
        await DashboardHost.ScreenshotAsync(page, "tier1-log");
        await page.Locator("tr.log-row a").First.ClickAsync();
        await Assertions.Expect(page.Locator(".call-attempt").First).ToBeVisibleAsync();

        // The newest row may be another test's refused or failed call, which has no price: open a demo call the
        // simulator answered at the first attempt, whose price source the page must show.
        var answered = await host.Services.GetRequiredService<DashboardQueries>().SearchLogAsync(
            new LogSearch(Operation: "video-understanding", Status: AttemptStatus.Success, Limit: 50), TestContext.Current.CancellationToken);
        var demoCall = answered.Items.First(e => e.Attempt == 1);
        await host.GotoAsync(page, "/calls/" + Uri.EscapeDataString(demoCall.RequestId));
        await Assertions.Expect(page.Locator(".call-attempt").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#price-source").First).Not.ToHaveTextAsync("—");
        await DashboardHost.ScreenshotAsync(page, "tier1-call");

        // Tier 2: every control page shows what the store holds.
        foreach (var (path, selector, shot) in new[]
        {
            ("/routes", ".route-card", "tier2-models"),
            ("/toggles", "tr.toggle-locked", "tier2-toggles"),
            ("/budgets", "tr.budget-row", "tier2-budgets"),
            ("/history", "#chain-status", "tier2-history"),
            ("/prices", "tr.price-row", "tier2-prices"),
            ("/users", "tr.user-row", "tier2-users"),
            ("/alerts", "#alert-table", "tier2-alerts"),
            ("/notifiers", "#notifier-table", "tier2-notifiers"),
        })
        {
            await host.GotoAsync(page, path);
            await Assertions.Expect(page.Locator(selector).First).ToBeVisibleAsync();
            await DashboardHost.ScreenshotAsync(page, shot);
        }

        await host.GotoAsync(page, "/users");
        await Assertions.Expect(page.Locator("tr.user-row")).ToHaveCountAsync(3);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ChangingChatsModel_InTheUi_TheNextApiCallUsesIt()
    {
        const string Chosen = "openai/gpt-4.1-mini";
        var page = await host.SignInAsync("olive");
        await host.GotoAsync(page, "/routes");

        await page.ClickAsync("#change-chat");
        await page.Locator("#route-chat .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = Chosen }).First.ClickAsync();
        await page.ClickAsync("#save-route");
        await Assertions.Expect(page.Locator("#route-chat .route-primary")).ToHaveTextAsync(Chosen);
        await DashboardHost.ScreenshotAsync(page, "tier2-model-changed");

        using var response = await host.Http.PostAsJsonAsync(host.BaseUrl + "/v1/chat/completions",
            new { model = "op:chat", messages = new[] { new { role = "user", content = "Which model are you?" } }, max_tokens = 16 },
            TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(Chosen, response.Headers.GetValues("X-Helix-Model").Single());

        var history = host.Services.GetRequiredService<Helix.Core.Audit.IChangeHistory>();
        var change = (await history.ListAsync(10, cancellationToken: TestContext.Current.CancellationToken)).First(e => e.Change.Action == "route.update");
        Assert.StartsWith("user:", change.Change.ActorId, StringComparison.Ordinal);
        Assert.Equal("olive", change.Change.ActorName);

        // Put chat back, through the same table, for the other tests.
        var routes = host.Services.GetRequiredService<RouteTable>();
        var restored = await routes.UpdateModelsAsync("chat", "deepseek/deepseek-v4-flash", ["gemini/gemini-2.5-flash"], "test", TestContext.Current.CancellationToken);
        Assert.True(restored.IsSuccess);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LockedToggle_HasNoControlEvenForAnAdmin_AndTheServerRefusesIt()
    {
        var page = await host.SignInAsync("admin");
        await host.GotoAsync(page, "/toggles");

        var locked = page.Locator("tr.toggle-locked");
        await Assertions.Expect(locked.First).ToBeVisibleAsync();
        Assert.True(await locked.CountAsync() >= 4);
        Assert.Equal(0, await locked.Locator("input").CountAsync());
        await Assertions.Expect(page.Locator("#toggle-agents-cannot-approve")).ToContainTextAsync("locked");
        await DashboardHost.ScreenshotAsync(page, "tier2-toggles-locked");

        var admin = new Helix.Core.Principals.Principal("user:1", "admin", Helix.Core.Principals.PrincipalRole.Admin);
        var refused = await host.Services.GetRequiredService<Model.DashboardCommands>().SetToggleAsync(admin, "agents-cannot-approve", false, TestContext.Current.CancellationToken);
        Assert.False(refused.Succeeded);
        Assert.True(host.Services.GetRequiredService<Helix.Core.Toggles.ToggleTable>().Current.TryGet("agents-cannot-approve", out var toggle));
        Assert.True(toggle.Enabled);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_SeesNoEnabledControl()
    {
        var page = await host.SignInAsync("victor");

        await host.GotoAsync(page, "/routes");
        await Assertions.Expect(page.Locator(".route-card").First).ToBeVisibleAsync();
        var changeButtons = page.Locator("button[id^='change-']");
        Assert.True(await changeButtons.CountAsync() > 0);
        for (var i = 0; i < await changeButtons.CountAsync(); i++)
        {
            await Assertions.Expect(changeButtons.Nth(i)).ToBeDisabledAsync();
        }

        await DashboardHost.ScreenshotAsync(page, "viewer-models");

        await host.GotoAsync(page, "/budgets");
        await Assertions.Expect(page.Locator("tr.budget-row").First).ToBeVisibleAsync();
        foreach (var button in await page.Locator("#budget-table button, #budget-form button").AllAsync())
        {
            await Assertions.Expect(button).ToBeDisabledAsync();
        }

        foreach (var input in await page.Locator("#budget-form input").AllAsync())
        {
            await Assertions.Expect(input).ToBeDisabledAsync();
        }

        await DashboardHost.ScreenshotAsync(page, "viewer-budgets");

        await host.GotoAsync(page, "/users");
        await Assertions.Expect(page.Locator("#users-admin-only")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#create-user").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Overview_NewCall_ShowsWithinTwoSeconds()
    {
        var page = await host.SignInAsync("victor");
        var calls = page.Locator("#total-calls h5, #total-calls .mud-typography-h5").First;
        await Assertions.Expect(calls).Not.ToHaveTextAsync("0");
        var before = long.Parse((await calls.InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

        await host.RunDemoAsync(calls: 1);

        // The page refreshes every 1.5 s: a generous margin on a loaded machine, but still a live update, not a reload.
        await Assertions.Expect(calls).ToHaveTextAsync((before + 1).ToString("#,0", System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 10_000 });
        await page.Context.CloseAsync();
    }
}
