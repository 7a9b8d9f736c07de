using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Estimation;
using Helix.Core.Providers;
using Helix.Simulator;
using Xunit;

namespace Helix.Gateway.Tests.Budgets;

/// <summary>Chat calls whose worst case equals their actual cost: the simulator's prompt tokens match Helix's count, the reply fills max_tokens.</summary>
internal static class BudgetCalls
{
    public const int MaxTokens = 16;

    private const string Prompt = "How much does this call cost, exactly?";

    public static JsonObject Body(string user) => new()
    {
        ["model"] = "op:chat",
        ["user"] = user,
        ["max_tokens"] = MaxTokens,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = Prompt }),
    };

    /// <summary>Makes the simulator's deepseek usage match the estimate exactly.</summary>
    public static void MatchWorstCase(SimulatorState simulator)
    {
        var estimate = ChatRequestEstimator.Estimate(ChatRequest.FromJsonObject(Body("any")));
        simulator.SetBehavior("deepseek", null, new SimulatorBehavior { PromptTokens = estimate.InputTokens, CompletionTokens = 4 * MaxTokens });
    }

    public static async Task<HttpResponseMessage> CallAsync(HttpClient http, string user) =>
        await http.PostAsync("/v1/chat/completions", JsonContent.Create(Body(user)), TestContext.Current.CancellationToken);

    /// <summary>One call's cost, checked equal to its logged worst case.</summary>
    public static async Task<decimal> CalibrateAsync(HttpClient http, HttpClient admin)
    {
        using var response = await CallAsync(http, "calibration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var row = (await Json.LogsAsync(admin)).Single(r => r.GetProperty("requestId").GetString() == requestId);
        var cost = decimal.Parse(row.GetProperty("costUsd").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(cost, decimal.Parse(row.GetProperty("estimatedCostUsd").GetString()!, CultureInfo.InvariantCulture));
        Assert.True(cost > 0);
        return cost;
    }

    public static async Task<JsonElement> PutBudgetAsync(HttpClient admin, object budget)
    {
        using var response = await admin.PutAsJsonAsync("/admin/api/budgets", budget, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    public static async Task<JsonElement> BudgetAsync(HttpClient admin, string id)
    {
        var budgets = await Json.ReadAsync(await admin.GetAsync("/admin/api/budgets", TestContext.Current.CancellationToken));
        return budgets.GetProperty("items").EnumerateArray().Single(b => b.GetProperty("id").GetString() == id);
    }

    public static decimal Usd(JsonElement element, string name) =>
        decimal.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    public static string Format(decimal usd) => usd.ToString("0.############################", CultureInfo.InvariantCulture);
}
