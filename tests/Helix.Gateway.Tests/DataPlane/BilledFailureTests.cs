using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Simulator;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>
/// A provider bills what it answered with a 2xx, even when the answer cannot be used: the log must agree with the
/// provider's ledger (count and cost status), and the call falls back instead of paying the same model again.
/// </summary>
public sealed class BilledFailureTests
{
    private const string Primary = "deepseek/deepseek-v4-flash";
    private const string Fallback = "gemini/gemini-2.5-flash";

    [Theory]
    [InlineData(SimulatorFault.MalformedJson, false)]
    [InlineData(SimulatorFault.CutStream, false)]
    [InlineData(SimulatorFault.MalformedJson, true)]
    public async Task BilledFailure_LoggedAtEstimateAsBilledOnceThenFallsBack_LogMatchesLedger(SimulatorFault fault, bool stream)
    {
        using var factory = new GatewayFactory();
        factory.Simulator.SetBehavior("deepseek", "deepseek-v4-flash", new SimulatorBehavior { Fault = fault });
        var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            stream,
            messages = new[] { new { role = "user", content = "Bill me once" } },
        }, TestContext.Current.CancellationToken);
        _ = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Fallback, response.Headers.GetValues("X-Helix-Model").Single());
        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var rows = await RowsAsync(factory, requestId);
        Assert.Equal(2, rows.Length);
        var billed = rows[0];
        Assert.Equal((Primary, "failed", "estimated"), (Str(billed, "model"), Str(billed, "status"), Str(billed, "costStatus")));
        Assert.NotEqual("0", Str(billed, "costUsd"));
        Assert.Equal((Fallback, "success"), (Str(rows[1], "model"), Str(rows[1], "status")));
        AssertLogMatchesLedger(factory, rows);
    }

    [Fact]
    public async Task StreamCutAfterItStarted_LoggedAtEstimateLikeTheLedgerBillsIt()
    {
        using var factory = new GatewayFactory();
        factory.Simulator.SetBehavior("deepseek", "deepseek-v4-flash", new SimulatorBehavior { Fault = SimulatorFault.CutStream, CompletionTokens = 40 });
        var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            stream = true,
            messages = new[] { new { role = "user", content = "Cut me" } },
        }, TestContext.Current.CancellationToken);
        _ = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var row = Assert.Single(await RowsAsync(factory, requestId));
        Assert.Equal((Primary, "failed", "estimated"), (Str(row, "model"), Str(row, "status"), Str(row, "costStatus")));
        AssertLogMatchesLedger(factory, [row]);
    }

    [Fact]
    public async Task HungPrimary_FallsBackAfterOneAttemptTimeout_WellInsideTheDeadline()
    {
        using var factory = new GatewayFactory();
        factory.Simulator.SetBehavior("deepseek", "deepseek-v4-flash", new SimulatorBehavior { Fault = SimulatorFault.Timeout });
        var http = factory.CreateClient();
        var clock = Stopwatch.StartNew();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Anyone there?" } },
        }, TestContext.Current.CancellationToken);

        // The factory's attempt timeout is 5 s: one hung attempt, then the fallback; never the 120 s deadline.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(30));
        Assert.Equal(Fallback, response.Headers.GetValues("X-Helix-Model").Single());
        var rows = await RowsAsync(factory, response.Headers.GetValues("X-Helix-Request-Id").Single());
        Assert.Equal([(Primary, "upstream_timeout", "not_billed"), (Fallback, null, "priced")],
            rows.Select(r => (Str(r, "model"), r.TryGetProperty("errorCode", out var code) ? code.GetString() : null, Str(r, "costStatus"))));
    }

    private static async Task<JsonElement[]> RowsAsync(GatewayFactory factory, string requestId) =>
        [.. (await Json.LogsAsync(factory.CreateAdminClient())).Where(r => Str(r, "requestId") == requestId).OrderBy(r => r.GetProperty("attempt").GetInt32())];

    // Every call the provider billed is a billed row (priced or estimated), and every billed row was billed.
    private static void AssertLogMatchesLedger(GatewayFactory factory, JsonElement[] rows)
    {
        var ledger = factory.Simulator.Ledger;
        foreach (var provider in new[] { "deepseek", "gemini" })
        {
            var billedRows = rows.Count(r => Str(r, "provider") == provider && Str(r, "costStatus") != "not_billed");
            Assert.Equal(ledger.Count(e => e.Provider == provider), billedRows);
        }

        Assert.DoesNotContain(rows, r => Str(r, "costStatus") == "not_billed" && Str(r, "status") == "failed");
    }

    private static string? Str(JsonElement row, string name) => row.GetProperty(name).GetString();
}
