using System.Net;
using System.Net.Http.Json;
using Helix.Simulator;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane;

/// <summary>Each test gets its own gateway: circuits and simulator faults must not leak between tests.</summary>
public sealed class FallbackTests
{
    [Fact]
    public async Task ProviderFailing500_FallsBackToTheNextModel_AndTheLogShowsEveryAttempt()
    {
        using var factory = new GatewayFactory();
        factory.Simulator.SetBehavior("deepseek", "deepseek-v4-flash", new SimulatorBehavior { Fault = SimulatorFault.ServerError });
        var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Fall back please" } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gemini/gemini-2.5-flash", response.Headers.GetValues("X-Helix-Model").Single());
        var requestId = response.Headers.GetValues("X-Helix-Request-Id").Single();
        var rows = (await Json.LogsAsync(factory.CreateAdminClient())).Where(r => r.GetProperty("requestId").GetString() == requestId)
            .OrderBy(r => r.GetProperty("attempt").GetInt32()).ToArray();
        Assert.True(rows.Length >= 2);
        Assert.All(rows[..^1], r =>
        {
            Assert.Equal("deepseek/deepseek-v4-flash", r.GetProperty("model").GetString());
            Assert.Equal("failed", r.GetProperty("status").GetString());
            Assert.Equal("upstream_server_error", r.GetProperty("errorCode").GetString());
            Assert.Equal("0", r.GetProperty("costUsd").GetString());
        });
        Assert.Equal("gemini/gemini-2.5-flash", rows[^1].GetProperty("model").GetString());
        Assert.Equal("success", rows[^1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task EveryModelFailing_AnswersUpstreamUnavailableInTheOpenAIErrorShape()
    {
        using var factory = new GatewayFactory();
        factory.Simulator.SetBehavior(null, null, new SimulatorBehavior { Fault = SimulatorFault.ServerError });
        var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "nothing works" } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("upstream_unavailable", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
    }
}
