using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Audit;
using Helix.Core.Experiments;
using Helix.Core.Savings;
using Helix.Gateway.Tests.Access;
using Helix.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Intelligence;

/// <summary>A/B experiments through the real gateway and the simulator: the split, stickiness, a winner, a guardrail breach.</summary>
public sealed class ExperimentAcceptanceTests
{
    private const string Control = "deepseek/deepseek-v4-pro";
    private const string Candidate = "deepseek/deepseek-v4-flash";

    [Fact]
    public async Task Experiment_CheaperCandidateAsGood_SplitsAsConfiguredSticksPerUserAndStopsWithTheCandidateAsWinner()
    {
        using var factory = new GatewayFactory();
        var http = factory.CreateClient();
        var admin = factory.CreateAdminClient();
        factory.Simulator.SetBehavior("deepseek", null, new SimulatorBehavior { PromptTokens = 120, CompletionTokens = 40 });
        var experiment = await StartAsync(admin, minCallsPerArm: 60);
        var id = experiment.GetProperty("id").GetString()!;
        var running = new RunningExperiment(ConfigOf(experiment));

        var users = Enumerable.Range(0, 240).Select(i => $"user-{i}").ToArray();
        var served = await CallAllAsync(http, users);
        var sticky = await CallAllAsync(http, Enumerable.Repeat("returning-user", 6).ToArray());

        Assert.All(served, s => Assert.Equal(HttpStatusCode.OK, s.Status));
        var rows = (await Json.LogsAsync(admin)).Where(r => r.GetProperty("operation").GetString() == "agent").ToArray();
        Assert.Equal(246, rows.Length);
        foreach (var row in rows)
        {
            var user = row.GetProperty("user").GetString()!;
            var arm = running.ArmOf(user);
            Assert.Equal(id, row.GetProperty("experimentId").GetString());
            Assert.Equal(arm.Name, row.GetProperty("experimentArm").GetString());
            Assert.Equal(arm.Model, row.GetProperty("model").GetString());
        }

        var candidates = rows.Count(r => r.GetProperty("experimentArm").GetString() == "candidate-1");
        Assert.InRange(candidates, 240 * 0.5 - 40, 240 * 0.5 + 40);
        Assert.Single(sticky.Select(s => s.Model).Distinct());

        var evaluated = await PostAsync(admin, $"/admin/api/experiments/{id}/evaluate");

        Assert.Equal("stopped", evaluated.GetProperty("status").GetString());
        Assert.Equal("candidate-1", evaluated.GetProperty("winner").GetString());
        Assert.StartsWith("winner: candidate-1", evaluated.GetProperty("stopReason").GetString(), StringComparison.Ordinal);
        var comparison = evaluated.GetProperty("result").GetProperty("comparisons")[0];
        Assert.Equal("winner", comparison.GetProperty("verdict").GetString());
        Assert.True(comparison.GetProperty("costPerCallDifferenceUsd").GetProperty("upper").GetDouble() < 0);
        Assert.True(comparison.GetProperty("costPerCallChange").GetDouble() < -0.5);
        var history = await factory.Services.GetRequiredService<IChangeHistory>().ListAsync(10, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(history, h => h.Change.Action == "experiment.start" && h.Change.Target == "experiment:" + id && h.Change.ActorId == "bootstrap-admin");
        Assert.Contains(history, h => h.Change.Action == "experiment.stop" && h.Change.Target == "experiment:" + id && h.Change.ActorId == "helix");

        var after = await CallAllAsync(http, [users[0]]);
        Assert.Equal(Control, after[0].Model);
        var last = (await Json.LogsAsync(admin, "limit=1")).Single();
        Assert.False(last.TryGetProperty("experimentId", out var none) && none.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Experiment_CandidateErroring_GuardrailBreachStopsItEarlyWithTheControlKept()
    {
        using var factory = new GatewayFactory();
        var http = factory.CreateClient();
        var admin = factory.CreateAdminClient();
        factory.Simulator.SetBehavior("deepseek", null, new SimulatorBehavior { PromptTokens = 120, CompletionTokens = 40 });
        factory.Simulator.SetBehavior("deepseek", "deepseek-v4-flash", new SimulatorBehavior { Fault = SimulatorFault.ServerError });
        var experiment = await StartAsync(admin, minCallsPerArm: 20);
        var id = experiment.GetProperty("id").GetString()!;

        var served = await CallAllAsync(http, [.. Enumerable.Range(0, 80).Select(i => $"caller-{i}")]);
        var evaluated = await PostAsync(admin, $"/admin/api/experiments/{id}/evaluate");

        Assert.All(served, s => Assert.Equal(HttpStatusCode.OK, s.Status));
        Assert.Equal("stopped", evaluated.GetProperty("status").GetString());
        Assert.Equal("control", evaluated.GetProperty("winner").GetString());
        Assert.StartsWith("guardrail breached: candidate-1", evaluated.GetProperty("stopReason").GetString(), StringComparison.Ordinal);
        var comparison = evaluated.GetProperty("result").GetProperty("comparisons")[0];
        Assert.Equal("guardrail-breached", comparison.GetProperty("verdict").GetString());
        Assert.True(comparison.GetProperty("errorRateDifference").GetProperty("lower").GetDouble() > 0.05);
        var arms = evaluated.GetProperty("result").GetProperty("arms");
        Assert.Equal(arms[1].GetProperty("calls").GetInt64(), arms[1].GetProperty("errors").GetInt64());
        Assert.Equal(0, arms[0].GetProperty("errors").GetInt64());
    }

    [Fact]
    public async Task Experiment_CheaperCandidateRatedWorse_QualityGuardrailStopsItWithTheControlKept_AndTheCalculatorShowsTheFeedback()
    {
        using var factory = WithoutEvaluationTimer();
        var http = factory.CreateClient();
        var admin = factory.CreateAdminClient();
        var ct = TestContext.Current.CancellationToken;
        factory.Simulator.SetBehavior("deepseek", null, new SimulatorBehavior { PromptTokens = 120, CompletionTokens = 40 });
        var experiment = await StartAsync(admin, minCallsPerArm: 20);
        var id = experiment.GetProperty("id").GetString()!;
        Assert.Equal("0.1", experiment.GetProperty("guardrails").GetProperty("maxQualityDecrease").GetString());

        var served = await CallAllAsync(http, [.. Enumerable.Range(0, 100).Select(i => $"rater-{i}")]);
        Assert.All(served, s => Assert.Equal(HttpStatusCode.OK, s.Status));
        var candidateCalls = served.Count(s => s.Model == Candidate);
        Assert.InRange(candidateCalls, ExperimentEvaluator.MinScoredCallsPerArm, 100 - ExperimentEvaluator.MinScoredCallsPerArm);

        // Proposed and asked to be applied before any feedback, the change waits for an approval.
        using var early = await admin.PostAsJsonAsync("/admin/api/recommendations", new { kind = "model_change", operation = "agent", model = Candidate, evidence = new { why = "cheaper" } }, ct);
        var earlyId = (await Json.ReadAsync(early)).GetProperty("id").GetString()!;
        using var earlyAsk = await admin.PostAsync($"/admin/api/recommendations/{earlyId}/apply", null, ct);
        Assert.Equal(HttpStatusCode.Accepted, earlyAsk.StatusCode);
        var earlyApproval = (await Json.ReadAsync(earlyAsk)).GetProperty("approvalId").GetString()!;

        // Cheaper and never erring, the candidate would win on cost alone (as in the first test); its answers are
        // rated thumbs down and the control's thumbs up, and the quality guardrail keeps the control.
        foreach (var (_, model, requestId) in served)
        {
            using var rated = await http.PostAsJsonAsync("/v1/feedback", new { request_id = requestId, score = model == Candidate ? -1 : 1 }, ct);
            Assert.Equal(HttpStatusCode.Created, rated.StatusCode);
        }

        var evaluated = await PostAsync(admin, $"/admin/api/experiments/{id}/evaluate");

        Assert.Equal("stopped", evaluated.GetProperty("status").GetString());
        Assert.Equal("control", evaluated.GetProperty("winner").GetString());
        Assert.StartsWith("guardrail breached: candidate-1", evaluated.GetProperty("stopReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("feedback score", evaluated.GetProperty("stopReason").GetString(), StringComparison.Ordinal);
        var comparison = evaluated.GetProperty("result").GetProperty("comparisons")[0];
        Assert.Equal("guardrail-breached", comparison.GetProperty("verdict").GetString());
        Assert.Equal(-2, comparison.GetProperty("qualityDifference").GetProperty("estimate").GetDouble(), 9);
        Assert.True(comparison.GetProperty("qualityDifference").GetProperty("upper").GetDouble() < -0.1);
        Assert.True(comparison.GetProperty("costPerCallDifferenceUsd").GetProperty("upper").GetDouble() < 0);
        var arms = evaluated.GetProperty("result").GetProperty("arms");
        Assert.Equal(100 - candidateCalls, arms[0].GetProperty("scoredCalls").GetInt64());
        Assert.Equal(1, arms[0].GetProperty("qualityMean").GetDouble(), 9);
        Assert.Equal(candidateCalls, arms[1].GetProperty("scoredCalls").GetInt64());
        Assert.Equal(-1, arms[1].GetProperty("qualityMean").GetDouble(), 9);

        var savings = await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation=agent&model={Uri.EscapeDataString(Candidate)}", ct));
        var operation = savings.GetProperty("perOperation")[0];
        Assert.Equal(candidateCalls, operation.GetProperty("candidate").GetProperty("feedbackRatings").GetInt64());
        Assert.Equal(-1m, decimal.Parse(operation.GetProperty("candidate").GetProperty("meanFeedbackScore").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        var current = operation.GetProperty("currentModels").EnumerateArray().Single(m => m.GetProperty("model").GetString() == Control);
        Assert.Equal(100 - candidateCalls, current.GetProperty("feedbackRatings").GetInt64());
        Assert.Equal(1m, decimal.Parse(current.GetProperty("meanFeedbackScore").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        // Rated worse by more than the margin on enough ratings, the cheaper candidate is not recommended: the
        // operation's cheaper-model recommendation names another model (unrated, so unproven) and lists it as held
        // back with the reason, beside the same feedback evidence on the current model.
        using var refresh = await admin.PostAsync("/admin/api/recommendations/refresh", null, ct);
        var recommendation = (await Json.ReadAsync(refresh)).GetProperty("items").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "model_change" && r.GetProperty("operation").GetString() == "agent" && r.GetProperty("source").GetString() == "helix");
        Assert.NotEqual(Candidate, recommendation.GetProperty("model").GetString());
        var evidence = recommendation.GetProperty("evidence");
        var controlEvidence = evidence.GetProperty("currentModels").EnumerateArray().Single(m => m.GetProperty("model").GetString() == Control);
        Assert.Equal(100 - candidateCalls, controlEvidence.GetProperty("feedbackRatings").GetInt64());
        Assert.Equal("1", controlEvidence.GetProperty("meanFeedbackScore").GetString());
        var held = evidence.GetProperty("heldBackForQuality").EnumerateArray().Single(h => h.GetProperty("model").GetString() == Candidate);
        Assert.Contains($"at least {QualityGate.MinRatedCalls} ratings", held.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Proposed by hand (here by an agent), the same change is stored held back and is never applied.
        var agent = Keys.Client(factory, (await Keys.CreateAsync(admin, "advisor", "agent")).Key);
        using var proposed = await agent.PostAsJsonAsync("/admin/api/recommendations", new { kind = "model_change", operation = "agent", model = Candidate, evidence = new { why = "cheaper", qualityBlocked = (string?)null } }, ct);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var proposal = await Json.ReadAsync(proposed);
        Assert.StartsWith("rated -1 on average", proposal.GetProperty("evidence").GetProperty("qualityBlocked").GetString(), StringComparison.Ordinal);
        using var apply = await admin.PostAsync($"/admin/api/recommendations/{proposal.GetProperty("id").GetString()}/apply", null, ct);
        Assert.Equal(HttpStatusCode.Conflict, apply.StatusCode);
        var problem = await Json.ReadAsync(apply);
        Assert.Equal("not_applicable", problem.GetProperty("title").GetString());
        Assert.Contains("held back for its quality", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain((await Json.ReadAsync(await admin.GetAsync("/admin/api/approvals?status=pending", ct))).GetProperty("items").EnumerateArray(),
            a => a.GetProperty("policy").GetString() == "recommendation" && a.GetProperty("id").GetString() != earlyApproval);

        // The change asked for before the feedback came is judged again when approved: the route keeps its model.
        var decider = Keys.Client(factory, (await Keys.CreateAsync(admin, "approver", "operator")).Key);
        using var approved = await decider.PostAsync($"/admin/api/approvals/{earlyApproval}/approve", null, ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var route = (await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", ct))).GetProperty("items").EnumerateArray().Single(r => r.GetProperty("operation").GetString() == "agent");
        Assert.Equal(Control, route.GetProperty("primaryModel").GetString());
        using var askedAgain = await admin.PostAsync($"/admin/api/recommendations/{earlyId}/apply", null, ct);
        Assert.Equal(HttpStatusCode.Conflict, askedAgain.StatusCode);
        Assert.Contains("held back for its quality", (await Json.ReadAsync(askedAgain)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recommendation_CheaperCandidateRatedAsWell_StillRecommended()
    {
        using var factory = WithoutEvaluationTimer();
        var http = factory.CreateClient();
        var admin = factory.CreateAdminClient();
        var ct = TestContext.Current.CancellationToken;
        factory.Simulator.SetBehavior("deepseek", null, new SimulatorBehavior { PromptTokens = 120, CompletionTokens = 40 });
        var experiment = await StartAsync(admin, minCallsPerArm: 20);
        var served = await CallAllAsync(http, [.. Enumerable.Range(0, 100).Select(i => $"rater-{i}")]);
        Assert.InRange(served.Count(s => s.Model == Candidate), QualityGate.MinRatedCalls, 100 - QualityGate.MinRatedCalls);

        // Both arms rated alike (every answer thumbs up): no drop at all, so quality holds nothing back.
        foreach (var (_, _, requestId) in served)
        {
            using var rated = await http.PostAsJsonAsync("/v1/feedback", new { request_id = requestId, score = 1 }, ct);
            Assert.Equal(HttpStatusCode.Created, rated.StatusCode);
        }

        using var stop = await admin.PostAsJsonAsync($"/admin/api/experiments/{experiment.GetProperty("id").GetString()}/stop", new { reason = "enough" }, ct);
        using var refresh = await admin.PostAsync("/admin/api/recommendations/refresh", null, ct);
        var recommendation = (await Json.ReadAsync(refresh)).GetProperty("items").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "model_change" && r.GetProperty("operation").GetString() == "agent");
        var evidence = recommendation.GetProperty("evidence");

        Assert.False(evidence.TryGetProperty("heldBackForQuality", out _));
        var candidate = (await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation=agent&model={Uri.EscapeDataString(Candidate)}", ct)))
            .GetProperty("perOperation")[0].GetProperty("candidate");
        Assert.True(candidate.GetProperty("feedbackRatings").GetInt64() >= QualityGate.MinRatedCalls);
        var savings = await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation=agent&model={Uri.EscapeDataString(recommendation.GetProperty("model").GetString()!)}", ct));
        Assert.Equal(savings.GetProperty("projectedMonthlySavingsUsd").GetString(), recommendation.GetProperty("projectedMonthlySavingsUsd").GetString());
    }

    [Fact]
    public async Task Experiment_TooFewRatedCalls_QualityDecidesNothing_TheCheaperCandidateWins()
    {
        using var factory = WithoutEvaluationTimer();
        var http = factory.CreateClient();
        var admin = factory.CreateAdminClient();
        var ct = TestContext.Current.CancellationToken;
        factory.Simulator.SetBehavior("deepseek", null, new SimulatorBehavior { PromptTokens = 120, CompletionTokens = 40 });
        var id = (await StartAsync(admin, minCallsPerArm: 60)).GetProperty("id").GetString()!;

        // As many calls as the first test needs for the error-rate bound to show the candidate non-inferior.
        var served = await CallAllAsync(http, [.. Enumerable.Range(0, 240).Select(i => $"rater-{i}")]);
        foreach (var (_, _, requestId) in served.Where(s => s.Model == Candidate).Take(ExperimentEvaluator.MinScoredCallsPerArm - 1))
        {
            using var rated = await http.PostAsJsonAsync("/v1/feedback", new { request_id = requestId, score = -1 }, ct);
            Assert.Equal(HttpStatusCode.Created, rated.StatusCode);
        }

        foreach (var (_, _, requestId) in served.Where(s => s.Model == Control))
        {
            using var rated = await http.PostAsJsonAsync("/v1/feedback", new { request_id = requestId, score = 1 }, ct);
            Assert.Equal(HttpStatusCode.Created, rated.StatusCode);
        }

        var evaluated = await PostAsync(admin, $"/admin/api/experiments/{id}/evaluate");

        Assert.True(evaluated.TryGetProperty("winner", out var winner), evaluated.ToString());
        Assert.Equal("candidate-1", winner.GetString());
        var comparison = evaluated.GetProperty("result").GetProperty("comparisons")[0];
        Assert.Equal("winner", comparison.GetProperty("verdict").GetString());
        Assert.Equal(-2, comparison.GetProperty("qualityDifference").GetProperty("estimate").GetDouble(), 9);
        Assert.Equal(ExperimentEvaluator.MinScoredCallsPerArm - 1, evaluated.GetProperty("result").GetProperty("arms")[1].GetProperty("scoredCalls").GetInt64());
    }

    [Fact]
    public async Task Experiments_BadInput_400AndNothingStarts_SecondOnTheSameOperation_409_StopTwice_409()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var ct = TestContext.Current.CancellationToken;

        using var badShare = await admin.PostAsJsonAsync("/admin/api/experiments", new { operation = "agent", candidates = new[] { new { model = Candidate, share = "1.5" } } }, ct);
        using var unknownModel = await admin.PostAsJsonAsync("/admin/api/experiments", new { operation = "agent", candidates = new[] { new { model = "nope/nope", share = "0.5" } } }, ct);
        using var wrongModality = await admin.PostAsJsonAsync("/admin/api/experiments", new { operation = "agent", candidates = new[] { new { model = "openai/text-embedding-3-small", share = "0.5" } } }, ct);
        using var notJson = await admin.PostAsync("/admin/api/experiments", new StringContent("{", System.Text.Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, badShare.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownModel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongModality.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        var none = await Json.ReadAsync(await admin.GetAsync("/admin/api/experiments", ct));
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());

        var first = await StartAsync(admin, minCallsPerArm: 10);
        using var second = await admin.PostAsJsonAsync("/admin/api/experiments", new { operation = "agent", candidates = new[] { new { model = Candidate, share = "0.2" } } }, ct);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var id = first.GetProperty("id").GetString()!;
        using var stop = await admin.PostAsJsonAsync($"/admin/api/experiments/{id}/stop", new { reason = "enough" }, ct);
        using var again = await admin.PostAsJsonAsync($"/admin/api/experiments/{id}/stop", new { reason = "enough" }, ct);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal("enough", (await Json.ReadAsync(stop)).GetProperty("stopReason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    private static async Task<JsonElement> StartAsync(HttpClient admin, int minCallsPerArm)
    {
        using var response = await admin.PostAsJsonAsync("/admin/api/experiments", new
        {
            operation = "agent",
            candidates = new[] { new { model = Candidate, share = "0.5" } },
            // Latency is not what these tests are about: the simulator answers at once, so on a loaded machine the two
            // arms' p95 differ by scheduling noise alone, and the default 50% latency guardrail then stopped the
            // experiment with the control kept (seen once in CI). A wide bound keeps the verdicts on cost and errors.
            guardrails = new { minCallsPerArm, maxErrorRateIncrease = "0.1", maxLatencyP95Increase = "1000" },
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(Control, body.GetProperty("arms")[0].GetProperty("model").GetString());
        return body;
    }

    // The feedback arrives after the calls: the 30-second evaluation timer must not decide (on cost alone) in between.
    private static GatewayFactory WithoutEvaluationTimer() => new(
        Path.Combine(Path.GetTempPath(), "helix-gateway-tests", Guid.NewGuid().ToString("N")), ownsDirectory: true,
        new Dictionary<string, string> { ["Helix:Intelligence:ExperimentEvaluationInterval"] = "01:00:00" });

    private static ExperimentConfig ConfigOf(JsonElement body) => new()
    {
        Id = body.GetProperty("id").GetString()!,
        Operation = body.GetProperty("operation").GetString()!,
        Arms = [.. body.GetProperty("arms").EnumerateArray().Select(a => new ExperimentArm(
            a.GetProperty("name").GetString()!, a.GetProperty("model").GetString()!,
            decimal.Parse(a.GetProperty("share").GetString()!, System.Globalization.CultureInfo.InvariantCulture)))],
        CreatedAt = body.GetProperty("createdAt").GetDateTimeOffset(),
        CreatedBy = body.GetProperty("createdBy").GetString()!,
    };

    private static async Task<JsonElement> PostAsync(HttpClient admin, string path)
    {
        using var response = await admin.PostAsync(path, null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    private static async Task<(HttpStatusCode Status, string? Model, string? RequestId)[]> CallAllAsync(HttpClient http, string[] users)
    {
        var results = new (HttpStatusCode, string?, string?)[users.Length];
        for (var start = 0; start < users.Length; start += 8)
        {
            var batch = Enumerable.Range(start, Math.Min(8, users.Length - start)).Select(async i =>
            {
                var body = new JsonObject
                {
                    ["model"] = "op:agent",
                    ["user"] = users[i],
                    ["max_tokens"] = 64,
                    ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Plan my week." }),
                };
                using var response = await http.PostAsJsonAsync("/v1/chat/completions", body, TestContext.Current.CancellationToken);
                results[i] = (response.StatusCode, response.Headers.TryGetValues("X-Helix-Model", out var model) ? model.Single() : null,
                    response.Headers.TryGetValues("X-Helix-Request-Id", out var request) ? request.Single() : null);
            });
            await Task.WhenAll(batch);
        }

        return results;
    }
}
