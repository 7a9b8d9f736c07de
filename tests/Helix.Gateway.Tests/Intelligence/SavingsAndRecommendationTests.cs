using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Intelligence;

/// <summary>The savings calculator and recommendations over synthetic log history: they agree to the last digit.</summary>
public sealed class SavingsAndRecommendationTests
{
    private const string Operation = "email-drafting";
    private const string Current = "gemini/gemini-2.5-flash";

    [Fact]
    public async Task Recommendation_FromSyntheticHistory_ShowsTheSavingsTheCalculatorComputesForTheSameChange()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var ct = TestContext.Current.CancellationToken;
        var rows = await SeedAsync(factory, 40);

        using var refresh = await admin.PostAsync("/admin/api/recommendations/refresh", null, ct);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var recommendation = (await Json.ReadAsync(refresh)).GetProperty("items").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "model_change" && r.GetProperty("operation").GetString() == Operation);
        var model = recommendation.GetProperty("model").GetString()!;
        var savings = await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={Uri.EscapeDataString(model)}", ct));

        Assert.Equal(savings.GetProperty("projectedMonthlySavingsUsd").GetString(), recommendation.GetProperty("projectedMonthlySavingsUsd").GetString());
        var expected = Expected(factory, rows, model);
        Assert.Equal(expected, decimal.Parse(savings.GetProperty("totals").GetProperty("savingsUsd").GetString()!, CultureInfo.InvariantCulture));
        Assert.True(expected > 0);
        Assert.Equal(40, savings.GetProperty("totals").GetProperty("calls").GetInt64());
        Assert.Equal(40, savings.GetProperty("totals").GetProperty("repricedCalls").GetInt64() + savings.GetProperty("totals").GetProperty("unpricedCalls").GetInt64());
        // Ten days back from an hour before now: eleven UTC days when that hour straddles midnight.
        Assert.Equal(rows.Select(r => DateOnly.FromDateTime(r.Timestamp.UtcDateTime)).Distinct().Count(), savings.GetProperty("perDay").GetArrayLength());
        Assert.Equal(Current, savings.GetProperty("perOperation")[0].GetProperty("currentModels")[0].GetProperty("model").GetString());
        Assert.Equal(40, savings.GetProperty("perOperation")[0].GetProperty("currentModels")[0].GetProperty("attempts").GetInt64());
        Assert.NotNull(savings.GetProperty("perOperation")[0].GetProperty("tokenCounts").GetString());
        Assert.Equal(recommendation.GetProperty("evidence").GetProperty("savingsUsd").GetString(), savings.GetProperty("totals").GetProperty("savingsUsd").GetString());
    }

    [Fact]
    public async Task Savings_AsCsv_SameNumbersAsJson_OneRowPerTotalDayAndOperation()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var ct = TestContext.Current.CancellationToken;
        await SeedAsync(factory, 12);
        var query = $"/admin/api/savings?operation={Operation}&model=gemini/gemini-2.5-flash-lite&days=30";

        var json = await Json.ReadAsync(await admin.GetAsync(query, ct));
        using var csvByQuery = await admin.GetAsync(query + "&format=csv", ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        request.Headers.Accept.ParseAdd("text/csv");
        using var csvByAccept = await admin.SendAsync(request, ct);

        Assert.Equal("text/csv", csvByQuery.Content.Headers.ContentType?.MediaType);
        var lines = (await csvByQuery.Content.ReadAsStringAsync(ct)).TrimEnd('\n').Split('\n');
        Assert.Equal("scope,key,calls,repriced_calls,unpriced_calls,current_cost_usd,candidate_cost_usd,savings_usd", lines[0]);
        var totals = json.GetProperty("totals");
        Assert.Equal(
            $"total,all,12,12,0,{totals.GetProperty("currentCostUsd").GetString()},{totals.GetProperty("candidateCostUsd").GetString()},{totals.GetProperty("savingsUsd").GetString()}",
            lines[1]);
        Assert.Equal(1 + 1 + json.GetProperty("perDay").GetArrayLength() + 1, lines.Length);
        Assert.StartsWith("operation,email-drafting,12,", lines[^1], StringComparison.Ordinal);
        Assert.Equal(await csvByQuery.Content.ReadAsStringAsync(ct), await csvByAccept.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task Savings_BadInput_400ProblemDetails()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var ct = TestContext.Current.CancellationToken;

        using var unknownModel = await admin.GetAsync($"/admin/api/savings?operation={Operation}&model=nope/nope", ct);
        using var badDays = await admin.GetAsync($"/admin/api/savings?operation={Operation}&model={Current}&days=0", ct);
        using var noPlan = await admin.PostAsJsonAsync("/admin/api/savings", new { days = 30 }, ct);
        using var duplicate = await admin.PostAsJsonAsync("/admin/api/savings", new { changes = new[] { new { operation = Operation, model = Current }, new { operation = Operation, model = Current } } }, ct);
        using var plan = await admin.PostAsJsonAsync("/admin/api/savings", new { changes = new[] { new { operation = Operation, model = "gemini/gemini-2.5-flash-lite" }, new { operation = "chat", model = Current } } }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, unknownModel.StatusCode);
        Assert.Equal("application/problem+json", unknownModel.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, badDays.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noPlan.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        Assert.Equal(2, (await Json.ReadAsync(plan)).GetProperty("perOperation").GetArrayLength());
    }

    [Fact]
    public async Task Recommendations_ProposeThenDismiss_ReasonRequired_RecordedInTheChangeHistory()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var ct = TestContext.Current.CancellationToken;
        await SeedAsync(factory, 10);

        using var badKind = await admin.PostAsJsonAsync("/admin/api/recommendations", new { kind = "teleport", operation = Operation, evidence = new { } }, ct);
        using var noEvidence = await admin.PostAsJsonAsync("/admin/api/recommendations", new { kind = "cache", operation = Operation }, ct);
        using var proposed = await admin.PostAsJsonAsync("/admin/api/recommendations", new { kind = "model_change", operation = Operation, model = "gemini/gemini-2.5-flash-lite", evidence = new { why = "cheaper, same family" } }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noEvidence.StatusCode);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var body = await Json.ReadAsync(proposed);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("proposal", body.GetProperty("source").GetString());
        Assert.Equal("open", body.GetProperty("status").GetString());
        Assert.Equal("cheaper, same family", body.GetProperty("evidence").GetProperty("why").GetString());
        var savings = await Json.ReadAsync(await admin.GetAsync($"/admin/api/savings?operation={Operation}&model=gemini/gemini-2.5-flash-lite", ct));
        Assert.Equal(savings.GetProperty("projectedMonthlySavingsUsd").GetString(), body.GetProperty("projectedMonthlySavingsUsd").GetString());

        using var noReason = await admin.PostAsJsonAsync($"/admin/api/recommendations/{id}/dismiss", new { }, ct);
        using var blankReason = await admin.PostAsJsonAsync($"/admin/api/recommendations/{id}/dismiss", new { reason = " " }, ct);
        using var dismissed = await admin.PostAsJsonAsync($"/admin/api/recommendations/{id}/dismiss", new { reason = "quality first" }, ct);
        using var twice = await admin.PostAsJsonAsync($"/admin/api/recommendations/{id}/dismiss", new { reason = "again" }, ct);
        using var unknown = await admin.PostAsJsonAsync("/admin/api/recommendations/999999/dismiss", new { reason = "x" }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, blankReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        Assert.Equal("quality first", (await Json.ReadAsync(dismissed)).GetProperty("dismissReason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var open = await Json.ReadAsync(await admin.GetAsync("/admin/api/recommendations?status=open", ct));
        Assert.DoesNotContain(open.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        var history = await factory.Services.GetRequiredService<Helix.Core.Audit.IChangeHistory>().ListAsync(10, cancellationToken: ct);
        Assert.Contains(history, h => h.Change.Action == "recommendation.propose" && h.Change.Target == "recommendation:" + id);
        Assert.Contains(history, h => h.Change.Action == "recommendation.dismiss" && h.Change.Target == "recommendation:" + id && h.Change.After!.Contains("quality first", StringComparison.Ordinal));
    }

    // Calls of the operation on its current model over the last ten days, priced as the gateway would have priced them.
    internal static async Task<List<OperationLogEntry>> SeedAsync(GatewayFactory factory, int count)
    {
        using var client = factory.CreateClient();
        var costs = factory.Services.GetRequiredService<CostEngine>();
        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        List<OperationLogEntry> rows = [];
        for (var i = 0; i < count; i++)
        {
            // Yesterday's noon and the nine days before it, whatever the hour now: ten UTC days, never one more.
            var at = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(-12).AddDays(-(i % 10)).AddMinutes(-i);
            var meters = new UsageMeters { InputTokens = 1000 + (37 * i), OutputTokens = 200 + (11 * i), CacheReadTokens = i % 3 == 0 ? 64 : 0 };
            var cost = costs.Price("gemini", "gemini-2.5-flash", new UsageReport(meters, true, null), at);
            Assert.Equal(CostStatus.Priced, cost.Status);
            rows.Add(new OperationLogEntry
            {
                RequestId = $"seed-{i}",
                Timestamp = at,
                Operation = Operation,
                Principal = "app",
                User = $"u{i}",
                Provider = "gemini",
                Model = Current,
                Attempt = 1,
                Status = AttemptStatus.Success,
                LatencyMs = 200 + i,
                UsageKnown = true,
                Meters = meters,
                CostUsd = cost.TotalUsd,
                CostStatus = CostStatus.Priced,
                PriceSource = cost.Price?.Source,
                PriceSourceDate = cost.Price?.SourceDate,
            });
        }

        await factory.Services.GetRequiredService<IOperationLogStore>().AppendAsync(rows, TestContext.Current.CancellationToken);
        return rows;
    }

    // The calculator's rule, written out: each row's meters at the candidate's price in force at the row's time.
    private static decimal Expected(GatewayFactory factory, List<OperationLogEntry> rows, string model)
    {
        var costs = factory.Services.GetRequiredService<CostEngine>();
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        var (provider, providerModel) = (model[..slash], model[(slash + 1)..]);
        var savings = 0m;
        foreach (var row in rows)
        {
            Assert.True(costs.Book.TryFind(provider, providerModel, row.Timestamp, out var price));
            var candidate = CostCalculator.Calculate(price, row.Meters, null, row.Timestamp);
            if (candidate.Status == CostStatus.Priced)
            {
                savings += row.CostUsd!.Value - candidate.TotalUsd!.Value;
            }
        }

        return savings;
    }
}
