using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Helix.Core.Audit;
using Helix.Core.Principals;
using Helix.Core.Recommendations;
using Helix.Core.Routing;
using Helix.Core.Savings;
using Helix.Dashboard.Components.Controls;
using Helix.Dashboard.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Helix.Dashboard.Tests;

/// <summary>The intelligence pages (recommendations, experiments, savings) in a real browser against the real gateway after <c>helix demo</c>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardIntelligenceBrowserTests(DashboardHost host)
{
    private const string Expensive = "openai/gpt-4.1-mini";
    private const string Cheap = "deepseek/deepseek-v4-flash";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Experiment_CreatedInTheUi_SplitsCallsStickyPerUser_AndStopsInTheUi()
    {
        var operation = await CreateOperationAsync("exp", Expensive);
        var page = await host.SignInAsync("olive");
        await host.GotoAsync(page, "/experiments");

        await page.Locator("#experiment-form .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = operation }).First.ClickAsync();
        await page.Locator("#candidate-1 .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = Cheap }).First.ClickAsync();
        await page.ClickAsync("#start-experiment");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/experiments/exp_"));
        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        await Assertions.Expect(page.Locator("#experiment-status")).ToHaveTextAsync("running");

        // 40 users, two calls each: every user gets the same model twice, and both arms get users.
        var byUser = new Dictionary<string, HashSet<string>>();
        for (var i = 0; i < 40; i++)
        {
            var user = "user-" + i.ToString(CultureInfo.InvariantCulture);
            for (var repeat = 0; repeat < 2; repeat++)
            {
                var model = await ChatAsync(operation, user);
                (byUser.TryGetValue(user, out var models) ? models : byUser[user] = []).Add(model);
            }
        }

        Assert.All(byUser.Values, models => Assert.Single(models));
        var perModel = byUser.Values.Select(m => m.Single()).GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([Cheap, Expensive], perModel.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(perModel[Cheap], 8, 32);

        // The page evaluates from the log: both arms' calls, as many as the gateway served per model.
        await Assertions.Expect(page.Locator("#arm-control .arm-calls")).ToHaveTextAsync((perModel[Expensive] * 2).ToString(CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#arm-candidate-1 .arm-calls")).ToHaveTextAsync((perModel[Cheap] * 2).ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#comparison-candidate-1")).ToBeVisibleAsync();

        // No call was rated: quality evidence says so rather than showing a number; the quality guardrail is listed.
        await Assertions.Expect(page.Locator("#arm-candidate-1 .arm-quality")).ToHaveTextAsync("no feedback");
        await Assertions.Expect(page.Locator("#comparison-candidate-1 .comparison-quality")).ToHaveTextAsync("no feedback");
        await Assertions.Expect(page.Locator("#experiment-guardrails")).ToContainTextAsync("feedback score at most 0.1 lower");
        await DashboardHost.ScreenshotAsync(page, "tier3-experiment");

        await page.Locator("#stop-reason-input").FillAsync("Enough for the screenshot.");
        await page.ClickAsync("#stop-experiment");
        await Assertions.Expect(page.Locator("#experiment-status")).ToHaveTextAsync("stopped");
        await Assertions.Expect(page.Locator("#stop-reason")).ToHaveTextAsync("Enough for the screenshot.");
        Assert.Equal(Expensive, await ChatAsync(operation, "user-after-stop"));

        await host.GotoAsync(page, "/experiments");
        await Assertions.Expect(page.Locator($"#experiment-{id} .experiment-status")).ToHaveTextAsync("stopped");
        await DashboardHost.ScreenshotAsync(page, "tier3-experiments");

        var history = await host.Services.GetRequiredService<IChangeHistory>().ListAsync(10, target: "experiment:" + id, cancellationToken: Ct);
        Assert.Equal(["experiment.stop", "experiment.start"], history.Select(e => e.Change.Action));
        Assert.All(history, e => Assert.Equal("olive", e.Change.ActorName));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Recommendation_AppliedInTheUi_IsPendingUntilAnotherOperatorApproves_ThenChangesTheRouteOnce()
    {
        var operation = await CreateOperationAsync("rec", Expensive);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(Expensive, await ChatAsync(operation, "rec-user-" + i.ToString(CultureInfo.InvariantCulture)));
        }

        string id;
        using (var proposed = await SendAdminAsync(HttpMethod.Post, "/admin/api/recommendations",
            new { kind = "model_change", operation, model = Cheap, evidence = new { note = "the cheaper model answers these prompts as well" } }))
        {
            Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
            id = (await proposed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetString()!;
        }

        var olive = await host.SignInAsync("olive");
        await host.GotoAsync(olive, "/recommendations");
        var row = olive.Locator($"#recommendation-{id}");
        await Assertions.Expect(row.Locator(".recommendation-status")).ToHaveTextAsync("open");
        await Assertions.Expect(row.Locator(".recommendation-kind")).ToHaveTextAsync("model_change");
        var stored = (await host.Services.GetRequiredService<RecommendationService>().ListAsync(Ct)).Single(r => r.Id.ToString(CultureInfo.InvariantCulture) == id);
        Assert.True(stored.ProjectedMonthlySavingsUsd > 0m);
        await Assertions.Expect(row.Locator(".recommendation-savings")).ToHaveTextAsync(Usd.Format(stored.ProjectedMonthlySavingsUsd));

        await row.Locator(".apply-button").ClickAsync();
        await Assertions.Expect(olive.Locator("#apply-pending")).ToContainTextAsync("pending approval");
        await Assertions.Expect(olive.Locator("#approvals-link")).ToHaveAttributeAsync("href", "/approvals");
        var approvalId = (await host.Services.GetRequiredService<RecommendationService>().ListAsync(Ct)).Single(r => r.Id.ToString(CultureInfo.InvariantCulture) == id).ApprovalId!;
        await Assertions.Expect(olive.Locator("#apply-pending")).ToContainTextAsync(approvalId);
        await DashboardHost.ScreenshotAsync(olive, "tier3-recommendations");

        // Nothing changed yet, and the one who asked cannot approve it.
        Assert.Equal(Expensive, await ChatAsync(operation, "rec-user-0"));
        await host.GotoAsync(olive, "/approvals");
        await olive.Locator($"#approval-{approvalId} .approve-button").ClickAsync();
        await Assertions.Expect(olive.Locator($"#approval-{approvalId} .approval-status")).ToHaveTextAsync("pending");
        Assert.Equal(Expensive, await ChatAsync(operation, "rec-user-0"));

        var admin = await host.SignInAsync("admin");
        await host.GotoAsync(admin, "/approvals");
        await admin.Locator($"#approval-{approvalId} .approve-button").ClickAsync();
        await Assertions.Expect(admin.Locator($"#approval-{approvalId} .approval-status")).Not.ToHaveTextAsync("pending", new() { Timeout = 10_000 });
        Assert.Equal(Cheap, await ChatAsync(operation, "rec-user-0"));

        await host.GotoAsync(admin, "/recommendations");
        await Assertions.Expect(admin.Locator($"#recommendation-{id} .recommendation-status")).ToContainTextAsync("applied");
        await Assertions.Expect(admin.Locator($"#recommendation-{id} .apply-button")).ToBeDisabledAsync();

        var routeChanges = await host.Services.GetRequiredService<IChangeHistory>().ListAsync(20, target: operation, cancellationToken: Ct);
        Assert.Single(routeChanges, e => e.Change.Action == "route.update");
        var applied = await host.Services.GetRequiredService<IChangeHistory>().ListAsync(20, target: "recommendation:" + id, cancellationToken: Ct);
        Assert.Equal(["recommendation.apply", "recommendation.apply_request", "recommendation.propose"], applied.Select(e => e.Change.Action));
        Assert.Equal("olive", applied.Single(e => e.Change.Action == "recommendation.apply_request").Change.ActorName);
        Assert.Equal("admin", applied.Single(e => e.Change.Action == "recommendation.apply").Change.ActorName);
        await olive.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task Experiment_QualityGuardrailInTheForm_RefusedOutOfRange_StoredWhenValid()
    {
        var operation = await CreateOperationAsync("qual", Expensive);
        var page = await host.SignInAsync("olive");
        await host.GotoAsync(page, "/experiments");
        await page.Locator("#experiment-form .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = operation }).First.ClickAsync();
        await page.Locator("#candidate-1 .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = Cheap }).First.ClickAsync();
        var quality = page.Locator("input#experiment-max-quality-decrease, #experiment-max-quality-decrease input").First;
        await Assertions.Expect(quality).ToHaveValueAsync("0.1");

        await quality.FillAsync("3");
        await quality.PressAsync("Tab");
        await page.ClickAsync("#start-experiment");
        await Assertions.Expect(page.Locator("#experiment-form")).ToContainTextAsync("Give a drop from 0 to 2");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("from 0 to 2");
        Assert.DoesNotContain(await host.Services.GetRequiredService<Helix.Core.Experiments.ExperimentService>().ListAsync(Ct), e => e.Operation == operation);

        await quality.FillAsync("0.25");
        await quality.PressAsync("Tab");
        await page.ClickAsync("#start-experiment");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/experiments/exp_"));
        await Assertions.Expect(page.Locator("#experiment-guardrails")).ToContainTextAsync("feedback score at most 0.25 lower");
        var started = (await host.Services.GetRequiredService<Helix.Core.Experiments.ExperimentService>().ListAsync(Ct)).Single(e => e.Operation == operation);
        Assert.Equal(0.25m, started.Guardrails.MaxQualityDecrease);
        using (await SendAdminAsync(HttpMethod.Post, $"/admin/api/experiments/{started.Id}/stop", new { reason = "form test" }))
        {
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Recommendation_PriceWindowAndRisingPriceEvidence_ShownAsSentences_WithTheJsonBeside()
    {
        var operation = await CreateOperationAsync("evi", Expensive);

        // Evidence shaped as Helix writes it for these kinds (RecommendationEngine); proposals carry it as given.
        string window, rising;
        using (var proposed = await SendAdminAsync(HttpMethod.Post, "/admin/api/recommendations", new
        {
            kind = "price_window", operation, model = Expensive, evidence = new
            {
                windowDays = 30, repricedCalls = 40, savingsUsd = "0.0123",
                windows = new[] { new { startUtc = "16:30", endUtc = "00:30", rates = new { input = "0.135", output = "0.55" } } },
                baseRates = new { input = "0.27", output = "1.1" },
                callsOutsideWindow = 30, shareOutsideWindow = "0.75", streamedCalls = 0, latencyBound = false,
            },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
            window = (await proposed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetString()!;
        }

        using (var proposed = await SendAdminAsync(HttpMethod.Post, "/admin/api/recommendations", new
        {
            kind = "retire", operation, model = Expensive, evidence = new
            {
                trigger = "price_rising", scheduled = true, windowDays = 30, repricedCalls = 40,
                oldPrice = new { rates = new { input = "0.4", output = "1.6" }, effectiveUntil = "2026-12-20T00:00:00Z" },
                newPrice = new { rates = new { input = "0.8", output = "3.2" }, effectiveFrom = "2026-12-20T00:00:00Z" },
                projectedMonthlyCostIncreaseUsd = "12.5",
                replacement = new { model = Cheap, projectedMonthlySavingsVsNewPriceUsd = "20.25" },
            },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
            rising = (await proposed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetString()!;
        }

        var page = await host.SignInAsync("olive");
        await host.GotoAsync(page, "/recommendations");
        var windowLines = page.Locator($"#recommendation-{window} .evidence-line");
        await Assertions.Expect(windowLines.Nth(0)).ToHaveTextAsync("Cheaper window 16:30–00:30 UTC: input 0.27 → 0.135, output 1.1 → 0.55 USD per 1M tokens");
        await Assertions.Expect(windowLines.Nth(1)).ToHaveTextAsync("30 of 40 calls (75%) ran outside it; sending them inside would save $0.0123 over 30 days");
        await Assertions.Expect(windowLines.Nth(2)).ToContainTextAsync("Not latency-bound");
        var risingLines = page.Locator($"#recommendation-{rising} .evidence-line");
        await Assertions.Expect(risingLines.Nth(0)).ToHaveTextAsync("Price rises on 2026-12-20 00:00 UTC: input 0.4 → 0.8, output 1.6 → 3.2 USD per 1M tokens");
        await Assertions.Expect(risingLines.Nth(1)).ToHaveTextAsync("+$12.50 a month on this operation's calls of the last 30 days (40 calls)");
        await Assertions.Expect(risingLines.Nth(2)).ToHaveTextAsync($"Cheaper replacement: {Cheap}, $20.25 a month below the new price");
        await Assertions.Expect(page.Locator($"#recommendation-{rising} details.evidence-json")).ToContainTextAsync("price_rising");
        await page.Locator($"#recommendation-{window}").ScrollIntoViewIfNeededAsync();
        await DashboardHost.ScreenshotAsync(page, "tier3-recommendation-evidence");

        foreach (var id in new[] { window, rising })
        {
            using var dismissed = await SendAdminAsync(HttpMethod.Post, $"/admin/api/recommendations/{id}/dismiss", new { reason = "screenshot only" });
            Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Recommendation_DismissedInTheUi_NeedsAReason()
    {
        var operation = await CreateOperationAsync("dis", Expensive);
        string id;
        using (var proposed = await SendAdminAsync(HttpMethod.Post, "/admin/api/recommendations",
            new { kind = "cap", operation, evidence = new { maxOutputTokens = 256 } }))
        {
            Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
            id = (await proposed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetString()!;
        }

        var page = await host.SignInAsync("olive");
        await host.GotoAsync(page, "/recommendations");
        await page.Locator($"#recommendation-{id} .dismiss-button").ClickAsync();
        await Assertions.Expect(page.Locator("#confirm-dismiss")).ToBeDisabledAsync();
        await page.Locator("#dismiss-form textarea").First.FillAsync("Long answers are the point of this operation.");
        await page.ClickAsync("#confirm-dismiss");
        await Assertions.Expect(page.Locator($"#recommendation-{id} .recommendation-status")).ToHaveTextAsync("dismissed: Long answers are the point of this operation.");
        await Assertions.Expect(page.Locator($"#recommendation-{id} .apply-button")).ToBeDisabledAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Savings_InTheUi_ShowsWhatTheCalculatorComputes_AndOffersTheCsv()
    {
        var page = await host.SignInAsync("olive");
        await OpenSavingsPlanAsync(page, Expensive);
        await page.ClickAsync("#calculate");
        await Assertions.Expect(page.Locator("#savings-total")).ToBeVisibleAsync();

        var report = (await host.Services.GetRequiredService<SavingsCalculator>().CalculateAsync(new SavingsPlan([new PlannedChange("chat", Expensive)]), Ct)).Value!;
        Assert.True(report.Totals.Calls > 0);
        await Assertions.Expect(page.Locator("#savings-usd")).ToHaveTextAsync(Usd.Format(report.Totals.SavingsUsd));
        await Assertions.Expect(page.Locator("#savings-monthly")).ToHaveTextAsync(Usd.Format(report.ProjectedMonthlySavingsUsd));
        await Assertions.Expect(page.Locator("#savings-chat")).ToContainTextAsync(Expensive);
        await Assertions.Expect(page.Locator("#savings-chat")).ToContainTextAsync(
            report.Operations[0].Candidate.MeanScore is { } score ? $"feedback {score.ToString("0.##", CultureInfo.InvariantCulture)} over {report.Operations[0].Candidate.Ratings} ratings" : "no feedback");
        await Assertions.Expect(page.Locator("tr.savings-day")).ToHaveCountAsync(report.Days.Count);

        var href = await page.Locator("#savings-csv").GetAttributeAsync("href");
        const string Prefix = "data:text/csv;charset=utf-8;base64,";
        Assert.StartsWith(Prefix, href, StringComparison.Ordinal);
        Assert.Equal(SavingsCsv.Write(report), Encoding.UTF8.GetString(Convert.FromBase64String(href![Prefix.Length..])));
        await DashboardHost.ScreenshotAsync(page, "tier3-savings");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Savings_InTheUi_OffersTheApisOptions_RefusesBadValuesInItsWords_AndShowsWhatTheApiAnswers()
    {
        var page = await host.SignInAsync("olive");
        await OpenSavingsPlanAsync(page, Cheap);

        // Bad values: the admin API's own message, and nothing computed.
        await page.FillAsync("#savings-days", "400");
        await page.ClickAsync("#calculate");
        await Assertions.Expect(page.Locator("#savings-error")).ToHaveTextAsync(SavingsPlanText.DaysProblem);
        await Assertions.Expect(page.Locator("#savings-total")).ToHaveCountAsync(0);
        using (var refused = await SendAdminAsync(HttpMethod.Get, "/admin/api/savings?operation=chat&model=" + Cheap + "&days=400", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(SavingsPlanText.DaysProblem, (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("detail").GetString());
        }

        await page.FillAsync("#savings-days", "7");
        var asOfInput = page.Locator("#plan-1 .plan-as-of input");
        await asOfInput.FillAsync("next tuesday");
        await page.ClickAsync("#calculate");
        await Assertions.Expect(page.Locator("#savings-error")).ToHaveTextAsync(SavingsPlanText.PricesAsOfProblem);
        await Assertions.Expect(page.Locator("#savings-total")).ToHaveCountAsync(0);
        using (var refused = await SendAdminAsync(HttpMethod.Get, "/admin/api/savings?operation=chat&model=" + Cheap + "&pricesAsOf=next%20tuesday", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(SavingsPlanText.PricesAsOfProblem, (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("detail").GetString());
        }

        // Both options set: the page shows what the admin API answers for the same plan.
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var asOf = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await asOfInput.FillAsync(asOf);
        var inWindow = page.Locator("#plan-1 .plan-window input[type=checkbox]");
        await inWindow.CheckAsync();
        await Assertions.Expect(inWindow).ToBeCheckedAsync();
        await page.ClickAsync("#calculate");
        await Assertions.Expect(page.Locator("#savings-total")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#savings-error")).ToHaveCountAsync(0);

        using var answered = await SendAdminAsync(HttpMethod.Get, $"/admin/api/savings?operation=chat&model={Cheap}&days=7&inPriceWindow=true&pricesAsOf={asOf}", null);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var api = await answered.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var apiOperation = api.GetProperty("perOperation")[0];
        Assert.True(apiOperation.GetProperty("inPriceWindow").GetBoolean());
        Assert.True(api.GetProperty("totals").GetProperty("calls").GetInt64() > 0);
        static string Money(System.Text.Json.JsonElement e) => Usd.Format(decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#savings-usd")).ToHaveTextAsync(Money(api.GetProperty("totals").GetProperty("savingsUsd")));
        await Assertions.Expect(page.Locator("#savings-monthly")).ToHaveTextAsync(Money(api.GetProperty("projectedMonthlySavingsUsd")));
        await Assertions.Expect(page.Locator("#savings-total")).ToContainTextAsync(
            $"{api.GetProperty("totals").GetProperty("calls").GetInt64()} calls, {api.GetProperty("totals").GetProperty("repricedCalls").GetInt64()} re-priced");
        var row = page.Locator("#savings-chat");
        await Assertions.Expect(row.Locator(".savings-outside-window")).ToHaveTextAsync(apiOperation.GetProperty("callsOutsideCheapestWindow").GetInt64().ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(row.Locator(".savings-streamed-calls")).ToHaveTextAsync(apiOperation.GetProperty("streamedCalls").GetInt64().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(asOf, apiOperation.GetProperty("pricesAsOf").GetDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        await Assertions.Expect(row.Locator(".savings-prices-as-of")).ToHaveTextAsync($"at the prices of {asOf[..10]} {asOf[11..19]} UTC");
        await Assertions.Expect(row.Locator("td").Nth(5)).ToHaveTextAsync(Money(apiOperation.GetProperty("totals").GetProperty("savingsUsd")));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_SeesNoEnabledChangeOnTheIntelligencePages_AndTheServerRefusesAnyway()
    {
        var operation = await CreateOperationAsync("view", Expensive);
        using (var proposed = await SendAdminAsync(HttpMethod.Post, "/admin/api/recommendations",
            new { kind = "cap", operation, evidence = new { maxOutputTokens = 128 } }))
        {
            Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        }

        var page = await host.SignInAsync("victor");
        await host.GotoAsync(page, "/recommendations");
        await Assertions.Expect(page.Locator("tr.recommendation-row").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-main-content button:enabled")).ToHaveCountAsync(0);

        await host.GotoAsync(page, "/experiments");
        await Assertions.Expect(page.Locator("#experiment-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-main-content button:enabled")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-main-content input:enabled")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();

        var viewer = new Principal("user:victor", "victor", PrincipalRole.Viewer);
        var actions = host.Services.GetRequiredService<IntelligenceActions>();
        var open = (await host.Services.GetRequiredService<RecommendationService>().ListAsync(Ct)).First(r => r.Status == RecommendationStatus.Open);
        Assert.False((await actions.ApplyAsync(viewer, open.Id, Ct)).Result.Succeeded);
        Assert.False((await actions.DismissAsync(viewer, open.Id, "no", Ct)).Succeeded);
        Assert.False((await actions.StartExperimentAsync(viewer, new Helix.Core.Experiments.NewExperiment(operation, null, [(Cheap, 0.5m)]), Ct)).Result.Succeeded);
        Assert.Equal(RecommendationStatus.Open, (await host.Services.GetRequiredService<RecommendationService>().ListAsync(Ct)).Single(r => r.Id == open.Id).Status);
        Assert.DoesNotContain(await host.Services.GetRequiredService<Helix.Core.Experiments.ExperimentService>().ListAsync(Ct), e => e.Operation == operation);
    }

    // The savings page with its first change set to operation chat and the candidate `model`.
    private async Task OpenSavingsPlanAsync(IPage page, string model)
    {
        await host.GotoAsync(page, "/savings");
        await page.Locator("#plan-1 .plan-operation .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^chat$") }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await page.Locator("#plan-1 .plan-model .mud-select").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = model }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
    }

    private async Task<string> CreateOperationAsync(string prefix, string primary)
    {
        var operation = $"{prefix}-{Guid.NewGuid():N}"[..20];
        using var created = await SendAdminAsync(HttpMethod.Post, "/admin/api/routes", new { operation, primaryModel = primary });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(host.Services.GetRequiredService<RouteTable>().Current.TryGetRoute(operation, out _));
        return operation;
    }

    // One chat call on the operation as this end user; the model that served it.
    private async Task<string> ChatAsync(string operation, string user)
    {
        using var response = await host.Http.PostAsJsonAsync(host.BaseUrl + "/v1/chat/completions",
            new { model = "op:" + operation, user, max_tokens = 16, messages = new[] { new { role = "user", content = "Summarise the quarterly report." } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Helix-Model").Single();
    }

    private async Task<HttpResponseMessage> SendAdminAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, host.BaseUrl + path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DashboardHost.AdminKey);
        return await host.Http.SendAsync(request, Ct);
    }
}
