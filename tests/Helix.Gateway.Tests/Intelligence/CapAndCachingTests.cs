using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Helix.Core.Calls.Chat;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Gateway.Tests.Access;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Intelligence;

/// <summary>The log's requested caps and prompt-prefix hashes: filled on the request path, and the cap and caching recommendations derived from them.</summary>
public sealed class CapAndCachingTests
{
    private const string Operation = "email-drafting";
    private const string Model = "gemini/gemini-2.5-flash";
    private const string Prefix = "0123456789abcdef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChatCall_LogRowCarriesTheRequestedCapAndThePromptPrefixHash()
    {
        using var factory = new GatewayFactory();
        using var client = factory.CreateClient();
        var body = new JsonObject
        {
            ["model"] = $"op:{Operation}",
            ["max_tokens"] = 321,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "You draft short, polite emails.\nSign as \"Helix\"." },
                new JsonObject { ["role"] = "user", ["content"] = "Thank the supplier." }),
        };

        using var response = await client.PostAsJsonAsync("/v1/chat/completions", body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var row = await WaitForRowAsync(factory);
        Assert.Equal(321, row.RequestedMaxTokens);
        Assert.Equal(PromptPrefix.Hash(Helix.Core.Providers.ChatRequest.FromJsonObject(body)), row.PromptPrefixHash);
        Assert.Matches("^[0-9a-f]{16}$", row.PromptPrefixHash);
    }

    [Fact]
    public async Task SyntheticHistory_DerivesACapWithoutSavings_AndCachingPricedAtTheCachedInputRate_ThenTheCapIsAppliedThroughApproval()
    {
        using var factory = new GatewayFactory();
        var admin = factory.CreateAdminClient();
        var costs = factory.Services.GetRequiredService<CostEngine>();
        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        const int Count = 30;
        var meters = new UsageMeters { InputTokens = 2000, OutputTokens = 100 };
        List<OperationLogEntry> rows = [];
        var expected = 0m;
        for (var i = 0; i < Count; i++)
        {
            var at = now.AddHours(-1 - (3 * i));
            var cost = costs.Price("gemini", "gemini-2.5-flash", new UsageReport(meters, true, null), at);
            var cached = costs.Price("gemini", "gemini-2.5-flash", new UsageReport(meters with { InputTokens = 0, CacheReadTokens = 2000 }, true, null), at);
            Assert.Equal(CostStatus.Priced, cached.Status);
            rows.Add(new OperationLogEntry
            {
                RequestId = $"pattern-{i}",
                Timestamp = at,
                Operation = Operation,
                Principal = "app",
                Provider = "gemini",
                Model = Model,
                Attempt = 1,
                Status = AttemptStatus.Success,
                LatencyMs = 300,
                UsageKnown = true,
                Meters = meters,
                CostUsd = cost.TotalUsd,
                CostStatus = CostStatus.Priced,
                RequestedMaxTokens = 4096,
                PromptPrefixHash = Prefix,
            });

            // Every call but the first of the prefix reads it from the cache (the meters are the same for each call).
            if (i > 0)
            {
                expected += cost.TotalUsd!.Value - cached.TotalUsd!.Value;
            }
        }

        await factory.Services.GetRequiredService<IOperationLogStore>().AppendAsync(rows, Ct);
        using var refresh = await admin.PostAsync("/admin/api/recommendations/refresh", null, Ct);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var items = (await Json.ReadAsync(refresh)).GetProperty("items").EnumerateArray().Where(r => r.GetProperty("operation").GetString() == Operation).ToArray();

        var cap = items.Single(r => r.GetProperty("kind").GetString() == "cap");
        Assert.Equal(256, cap.GetProperty("evidence").GetProperty("maxOutputTokens").GetInt32());
        Assert.Equal(100, cap.GetProperty("evidence").GetProperty("maxOutput").GetInt64());
        Assert.Equal(Count, cap.GetProperty("evidence").GetProperty("callsWithRequestedCap").GetInt64());
        Assert.False(cap.TryGetProperty("projectedMonthlySavingsUsd", out var capSavings) && capSavings.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.StartsWith("none on spend", cap.GetProperty("evidence").GetProperty("savingsNote").GetString(), StringComparison.Ordinal);

        var cache = items.Single(r => r.GetProperty("kind").GetString() == "cache");
        var evidence = cache.GetProperty("evidence");
        Assert.True(expected > 0);
        Assert.Equal(expected, decimal.Parse(evidence.GetProperty("savingsUsd").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(Count, evidence.GetProperty("repricedCalls").GetInt64());
        Assert.Equal(Prefix, evidence.GetProperty("repeatedPrefixes")[0].GetProperty("hash").GetString());
        Assert.Equal(expected, decimal.Parse(cache.GetProperty("projectedMonthlySavingsUsd").GetString()!, CultureInfo.InvariantCulture));

        var decider = Keys.Client(factory, (await Keys.CreateAsync(admin, "approver", "operator")).Key);
        using var asked = await admin.PostAsync($"/admin/api/recommendations/{cap.GetProperty("id").GetString()}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var approvalId = (await Json.ReadAsync(asked)).GetProperty("approvalId").GetString();
        using var approved = await decider.PostAsync($"/admin/api/approvals/{approvalId}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var route = (await Json.ReadAsync(await admin.GetAsync("/admin/api/routes", Ct))).GetProperty("items").EnumerateArray()
            .Single(r => r.GetProperty("operation").GetString() == Operation);
        Assert.Equal(256, route.GetProperty("maxOutputTokens").GetInt32());
        using var cacheApply = await admin.PostAsync($"/admin/api/recommendations/{cache.GetProperty("id").GetString()}/apply", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, cacheApply.StatusCode);
    }

    private static async Task<OperationLogEntry> WaitForRowAsync(GatewayFactory factory)
    {
        var store = factory.Services.GetRequiredService<IOperationLogStore>();
        for (var i = 0; i < 200; i++)
        {
            var page = await store.QueryAsync(new LogQuery(Operation, null, 10, null), Ct);
            if (page.Items.Count > 0)
            {
                return page.Items[0];
            }

            await Task.Delay(25, Ct);
        }

        throw new TimeoutException("The call's log row was not written.");
    }
}
