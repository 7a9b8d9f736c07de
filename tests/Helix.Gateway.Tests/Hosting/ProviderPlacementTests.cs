using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Helix.Gateway.Tests.Hosting;

/// <summary>
/// The simulator stands in per provider: with one real key, the others are still simulated and the seeded routes
/// answer; start-up says which is which, and readiness names the routes no provider can serve.
/// </summary>
public sealed class ProviderPlacementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnlyAnOpenAIKey_ChatStillAnswersOnTheSimulatedDeepSeek_AndStartUpNamesTheSimulatedProviders()
    {
        using var factory = new ConfiguredGatewayFactory(new Dictionary<string, string?> { ["Helix:Providers:openai:ApiKey"] = "sk-test-not-a-real-key" });
        var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Hello" } },
        }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("deepseek/deepseek-v4-flash", response.Headers.GetValues("X-Helix-Model").Single());
        var lines = factory.Log.Lines.Where(l => l.Category.StartsWith("Helix", StringComparison.Ordinal)).Select(l => l.Message).ToArray();
        var simulated = Assert.Single(lines, l => l.StartsWith("Providers simulated", StringComparison.Ordinal));
        Assert.Contains("deepseek, gemini, anthropic, deepgram, edge-tts", simulated, StringComparison.Ordinal);
        Assert.Matches(@"http://127\.0\.0\.1:\d+/", simulated);
        Assert.Contains(lines, l => l == "Provider openai is real: https://api.openai.com/v1");
        Assert.DoesNotContain(lines, l => l.Contains("sk-test", StringComparison.Ordinal));

        var ready = await Json.ReadAsync(await http.GetAsync("/readyz", Ct));
        Assert.Equal(["openai"], ready.GetProperty("providers").GetProperty("real").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["deepseek", "gemini", "anthropic", "deepgram", "edge-tts"], ready.GetProperty("providers").GetProperty("simulated").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task SimulatorOff_WithoutKeys_ReadinessAndStartUpNameTheRoutesNoProviderServes()
    {
        using var factory = new ConfiguredGatewayFactory(new Dictionary<string, string?>
        {
            ["Helix:Simulator:Enabled"] = "false",
            ["Helix:Providers:gemini:ApiKey"] = "gemini-test-key",
        });
        var http = factory.CreateClient();

        using var ready = await http.GetAsync("/readyz", Ct);
        using var health = await http.GetAsync("/healthz", Ct);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await Json.ReadAsync(ready);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Equal(["openai", "deepseek", "anthropic", "deepgram", "edge-tts"], body.GetProperty("providers").GetProperty("notConfigured").EnumerateArray().Select(p => p.GetString()));
        var unserved = body.GetProperty("routesWithoutProvider").EnumerateArray().Select(r => r.GetProperty("operation").GetString()).ToArray();
        Assert.Contains("audio-transcription", unserved); // deepgram and openai are not configured
        Assert.DoesNotContain("chat", unserved); // gemini, its fallback, is configured
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync(Ct));
        Assert.Contains(factory.Log.Lines, l => l.Level == LogLevel.Warning && l.Message.StartsWith("Routes no provider can serve", StringComparison.Ordinal)
            && l.Message.Contains("audio-transcription", StringComparison.Ordinal));
        Assert.Contains(factory.Log.Lines, l => l.Level == LogLevel.Warning && l.Message.StartsWith("Providers not configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoKeys_EveryChatProviderIsSimulated_AndEveryChatRouteIsServed()
    {
        using var factory = new ConfiguredGatewayFactory(new Dictionary<string, string?>());

        var body = await Json.ReadAsync(await factory.CreateClient().GetAsync("/readyz", Ct));

        Assert.Empty(body.GetProperty("providers").GetProperty("real").EnumerateArray());
        Assert.Equal(6, body.GetProperty("providers").GetProperty("simulated").GetArrayLength());
        var unserved = body.GetProperty("routesWithoutProvider").EnumerateArray().Select(r => r.GetProperty("operation").GetString()).ToArray();
        Assert.DoesNotContain("chat", unserved);
        Assert.DoesNotContain("video-understanding", unserved);
    }
}
