using System.Net.Http.Json;
using Xunit;

namespace Helix.Gateway.Tests.Durability;

/// <summary>Nothing answered is lost: the log row of every response a caller received survives a SIGKILL.</summary>
public sealed class KillTests : IDisposable
{
    private const string AdminKey = "kill-test-admin-key-0123456789";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helix-kill-tests", Guid.NewGuid().ToString("N"));

    public KillTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Sigkill_RightAfterResponses_EveryAnsweredCallIsInTheLogAfterRestart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var answered = new List<(string RequestId, string Cost)>();
        await using (var gateway = await GatewayProcess.StartAsync(_directory, AdminKey, cancellationToken))
        {
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            var calls = Enumerable.Range(0, 24).Select(async i =>
            {
                using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
                {
                    model = i % 3 == 0 ? "op:memory-synthesis" : "op:chat",
                    stream = i % 2 == 0,
                    stream_options = new { include_usage = true },
                    messages = new[] { new { role = "user", content = $"durable call {i}" } },
                }, cancellationToken);
                await response.Content.ReadAsStringAsync(cancellationToken);
                response.EnsureSuccessStatusCode();
                var cost = response.Headers.TryGetValues("X-Helix-Cost-Usd", out var values) ? values.Single() : "stream";
                return (response.Headers.GetValues("X-Helix-Request-Id").Single(), cost);
            });
            answered.AddRange(await Task.WhenAll(calls));

            gateway.Kill();
        }

        await using var restarted = await GatewayProcess.StartAsync(_directory, AdminKey, cancellationToken);
        using var admin = new HttpClient { BaseAddress = restarted.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        var rows = await Json.LogsAsync(admin);
        foreach (var (requestId, cost) in answered)
        {
            var row = Assert.Single(rows, r => r.GetProperty("requestId").GetString() == requestId && r.GetProperty("status").GetString() == "success");
            Assert.Equal("priced", row.GetProperty("costStatus").GetString());
            if (cost != "stream")
            {
                Assert.Equal(cost, row.GetProperty("costUsd").GetString());
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
