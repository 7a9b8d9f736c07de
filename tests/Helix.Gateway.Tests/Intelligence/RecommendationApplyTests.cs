using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Core.Audit;
using Helix.Gateway.Tests.Access;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Intelligence;

/// <summary>
/// Applying a recommendation goes through the approval gate: asking changes nothing, a rejection leaves it unapplied,
/// another human's approval changes the route exactly once, and an agent may propose but neither apply nor approve.
/// </summary>
public sealed class RecommendationApplyTests
{
    private const string Operation = "email-drafting";
    private const string Current = "gemini/gemini-2.5-flash";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DerivedRecommendation_WithoutApprovalChangesNothing_WithApprovalChangesTheRouteOnce()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var decider = Keys.Client(factory, (await Keys.CreateAsync(admin, "approver", "operator")).Key);
        await SavingsAndRecommendationTests.SeedAsync(factory, 40);
        using var refresh = await admin.PostAsync("/admin/api/recommendations/refresh", null, Ct);
        var recommendation = (await Json.ReadAsync(refresh)).GetProperty("items").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "model_change" && r.GetProperty("operation").GetString() == Operation);
        var id = recommendation.GetProperty("id").GetString()!;
        var model = recommendation.GetProperty("model").GetString()!;
        var before = await RouteAsync(admin);

        using var asked = await admin.PostAsync($"/admin/api/recommendations/{id}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var askedBody = await Json.ReadAsync(asked);
        var approvalId = askedBody.GetProperty("approvalId").GetString()!;
        Assert.StartsWith("apr_", approvalId, StringComparison.Ordinal);
        Assert.Equal("open", askedBody.GetProperty("recommendation").GetProperty("status").GetString());
        using var askedAgain = await admin.PostAsync($"/admin/api/recommendations/{id}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, askedAgain.StatusCode);
        Assert.Equal(approvalId, (await Json.ReadAsync(askedAgain)).GetProperty("approvalId").GetString());
        var pending = await Json.ReadAsync(await admin.GetAsync($"/admin/api/approvals/{approvalId}", Ct));
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal("recommendation", pending.GetProperty("policy").GetString());

        // Nothing changed yet; the one who asked may not approve; a call cannot use the approval either.
        Assert.Equal(before.GetProperty("version").GetInt64(), (await RouteAsync(admin)).GetProperty("version").GetInt64());
        Assert.Equal(Current, (await RouteAsync(admin)).GetProperty("primaryModel").GetString());
        using var selfApproved = await admin.PostAsync($"/admin/api/approvals/{approvalId}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, selfApproved.StatusCode);
        using var call = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Keys.Chat(Operation)) };
        call.Headers.Add("X-Helix-Approval", approvalId);
        await Keys.AssertErrorAsync(await factory.CreateClient().SendAsync(call, Ct), HttpStatusCode.Forbidden, "approval_mismatch");
        Assert.Equal("pending", (await Json.ReadAsync(await admin.GetAsync($"/admin/api/approvals/{approvalId}", Ct))).GetProperty("status").GetString());

        using var approved = await decider.PostAsync($"/admin/api/approvals/{approvalId}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("consumed", (await Json.ReadAsync(approved)).GetProperty("status").GetString());
        var after = await RouteAsync(admin);
        Assert.Equal(model, after.GetProperty("primaryModel").GetString());
        Assert.Equal(Current, after.GetProperty("fallbackModels")[0].GetString());
        Assert.Equal(before.GetProperty("version").GetInt64() + 1, after.GetProperty("version").GetInt64());
        var applied = await GetRecommendationAsync(admin, id);
        Assert.Equal("applied", applied.GetProperty("status").GetString());
        Assert.Equal(approvalId, applied.GetProperty("approvalId").GetString());

        // Once: a second approval, a second apply and a refresh change nothing more.
        using var approvedAgain = await decider.PostAsync($"/admin/api/approvals/{approvalId}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, approvedAgain.StatusCode);
        using var appliedAgain = await admin.PostAsync($"/admin/api/recommendations/{id}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, appliedAgain.StatusCode);
        using var refreshedAfter = await admin.PostAsync("/admin/api/recommendations/refresh", null, Ct);
        Assert.Equal(HttpStatusCode.OK, refreshedAfter.StatusCode);
        Assert.Equal("applied", (await GetRecommendationAsync(admin, id)).GetProperty("status").GetString());
        Assert.Equal(after.GetProperty("version").GetInt64(), (await RouteAsync(admin)).GetProperty("version").GetInt64());
        var history = await factory.Services.GetRequiredService<IChangeHistory>().ListAsync(50, cancellationToken: Ct);
        Assert.Single(history, h => h.Change.Action == "route.update" && h.Change.Target == Operation);
        Assert.Single(history, h => h.Change.Action == "recommendation.apply" && h.Change.Target == "recommendation:" + id);
        Assert.Single(history, h => h.Change.Action == "recommendation.apply_request" && h.Change.Target == "recommendation:" + id);
    }

    [Fact]
    public async Task Rejected_LeavesTheRouteAsItWas_AndAskingAgainMakesANewApproval()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var decider = Keys.Client(factory, (await Keys.CreateAsync(admin, "approver", "operator")).Key);
        var id = await ProposeAsync(admin, new { kind = "cap", operation = Operation, evidence = new { maxOutputTokens = 256, why = "p95 output is 90 tokens" } });
        var before = await RouteAsync(admin);

        using var asked = await admin.PostAsync($"/admin/api/recommendations/{id}/apply", null, Ct);
        var approvalId = (await Json.ReadAsync(asked)).GetProperty("approvalId").GetString()!;
        using var noReason = await decider.PostAsync($"/admin/api/approvals/{approvalId}/reject", null, Ct);
        using var rejected = await decider.PostAsJsonAsync($"/admin/api/approvals/{approvalId}/reject", new { reason = "the long answers are the point" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var route = await RouteAsync(admin);
        Assert.Equal(before.GetProperty("version").GetInt64(), route.GetProperty("version").GetInt64());
        Assert.Equal(before.GetProperty("maxOutputTokens").ToString(), route.GetProperty("maxOutputTokens").ToString());
        Assert.Equal("open", (await GetRecommendationAsync(admin, id)).GetProperty("status").GetString());

        using var askedAgain = await admin.PostAsync($"/admin/api/recommendations/{id}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, askedAgain.StatusCode);
        var second = (await Json.ReadAsync(askedAgain)).GetProperty("approvalId").GetString()!;
        Assert.NotEqual(approvalId, second);
        using var approved = await decider.PostAsync($"/admin/api/approvals/{second}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(256, (await RouteAsync(admin)).GetProperty("maxOutputTokens").GetInt32());
    }

    [Fact]
    public async Task AgentKey_MayPropose_ButNotApplyNorApprove()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var agent = Keys.Client(factory, (await Keys.CreateAsync(admin, "cost-agent", "agent")).Key);
        var decider = Keys.Client(factory, (await Keys.CreateAsync(admin, "approver", "operator")).Key);

        using var proposed = await agent.PostAsJsonAsync("/admin/api/recommendations", new { kind = "model_change", operation = Operation, model = "gemini/gemini-2.5-flash-lite", evidence = new { why = "cheaper" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var id = (await Json.ReadAsync(proposed)).GetProperty("id").GetString()!;
        using var agentApply = await agent.PostAsync($"/admin/api/recommendations/{id}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, agentApply.StatusCode);
        Assert.Equal("application/problem+json", agentApply.Content.Headers.ContentType?.MediaType);
        Assert.Empty((await Json.ReadAsync(await admin.GetAsync("/admin/api/approvals", Ct))).GetProperty("items").EnumerateArray());

        using var asked = await decider.PostAsync($"/admin/api/recommendations/{id}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var approvalId = (await Json.ReadAsync(asked)).GetProperty("approvalId").GetString()!;
        using var agentApprove = await agent.PostAsync($"/admin/api/approvals/{approvalId}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, agentApprove.StatusCode);
        Assert.Equal("pending", (await Json.ReadAsync(await admin.GetAsync($"/admin/api/approvals/{approvalId}", Ct))).GetProperty("status").GetString());
        Assert.Equal(Current, (await RouteAsync(admin)).GetProperty("primaryModel").GetString());

        using var approved = await admin.PostAsync($"/admin/api/approvals/{approvalId}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("gemini/gemini-2.5-flash-lite", (await RouteAsync(admin)).GetProperty("primaryModel").GetString());
    }

    [Fact]
    public async Task NotApplicableKinds_AndUnknownIds_AskNoApproval()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var viewer = Keys.Client(factory, (await Keys.CreateAsync(admin, "watcher", "viewer")).Key);
        var cache = await ProposeAsync(admin, new { kind = "cache", operation = Operation, evidence = new { repeatedPrefixShare = "0.8" } });
        var capWithoutValue = await ProposeAsync(admin, new { kind = "cap", operation = Operation, evidence = new { why = "too long" } });

        using var cacheApply = await admin.PostAsync($"/admin/api/recommendations/{cache}/apply", null, Ct);
        using var capApply = await admin.PostAsync($"/admin/api/recommendations/{capWithoutValue}/apply", null, Ct);
        using var unknown = await admin.PostAsync("/admin/api/recommendations/999999/apply", null, Ct);
        using var notANumber = await admin.PostAsync("/admin/api/recommendations/abc/apply", null, Ct);
        using var byViewer = await viewer.PostAsync($"/admin/api/recommendations/{cache}/apply", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, cacheApply.StatusCode);
        Assert.Equal("application/problem+json", cacheApply.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Conflict, capApply.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notANumber.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.Empty((await Json.ReadAsync(await admin.GetAsync("/admin/api/approvals", Ct))).GetProperty("items").EnumerateArray());

        using var dismissed = await admin.PostAsJsonAsync($"/admin/api/recommendations/{cache}/dismiss", new { reason = "the prompts are already cached by the provider" }, Ct);
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        using var dismissedApply = await admin.PostAsync($"/admin/api/recommendations/{cache}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, dismissedApply.StatusCode);
    }

    private static async Task<string> ProposeAsync(HttpClient admin, object body)
    {
        using var proposed = await admin.PostAsJsonAsync("/admin/api/recommendations", body, Ct);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        return (await Json.ReadAsync(proposed)).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> RouteAsync(HttpClient admin) =>
        (await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", Ct))).GetProperty("items").EnumerateArray()
            .Single(r => r.GetProperty("operation").GetString() == Operation);

    private static async Task<JsonElement> GetRecommendationAsync(HttpClient admin, string id) =>
        (await Json.ReadAsync(await admin.GetAsync("/admin/api/recommendations", Ct))).GetProperty("items").EnumerateArray()
            .Single(r => r.GetProperty("id").GetString() == id);
}
