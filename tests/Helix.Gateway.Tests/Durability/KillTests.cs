using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Xunit;

namespace Helix.Gateway.Tests.Durability;

/// <summary>Nothing is lost: every answered call, and every call that reached a provider, is in the log after a SIGKILL.</summary>
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

    [Fact]
    public async Task Sigkill_DuringProviderCall_CallIsLoggedInterruptedAtItsWorstCaseAfterRestart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        // A provider that takes the request and never answers: the call is in flight when the gateway dies.
        using var provider = new TcpListener(IPAddress.Loopback, 0);
        provider.Start();
        var environment = new Dictionary<string, string>
        {
            ["Helix__Providers__deepseek__BaseUrl"] = $"http://127.0.0.1:{((IPEndPoint)provider.LocalEndpoint).Port}/",
        };
        var requestReached = HangAsync(provider, cancellationToken);

        await using (var gateway = await GatewayProcess.StartAsync(_directory, AdminKey, environment, cancellationToken))
        {
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            var call = http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = "op:chat",
                max_tokens = 1000,
                messages = new[] { new { role = "user", content = "a call the process will not live to finish" } },
            }, cancellationToken);

            await requestReached.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            gateway.Kill();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => call);
        }

        await using var restarted = await GatewayProcess.StartAsync(_directory, AdminKey, cancellationToken);
        using var admin = new HttpClient { BaseAddress = restarted.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        var row = Assert.Single(await Json.LogsAsync(admin));
        Assert.Equal("interrupted", row.GetProperty("status").GetString());
        Assert.Equal("process_interrupted", row.GetProperty("errorCode").GetString());
        Assert.Equal("deepseek", row.GetProperty("provider").GetString());
        Assert.False(row.GetProperty("usageKnown").GetBoolean());
        Assert.Equal("estimated", row.GetProperty("costStatus").GetString());
        var cost = decimal.Parse(row.GetProperty("costUsd").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(cost > 0m, $"The interrupted call's cost is {cost}.");
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

    /// <summary>Accepts connections, reads what they send and never answers; completes once a request arrived.</summary>
    private static Task HangAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            var held = new List<TcpClient>();
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(cancellationToken);
                    held.Add(client);
                    _ = Task.Run(async () =>
                    {
                        var buffer = new byte[8192];
                        var stream = client.GetStream();
                        try
                        {
                            while (await stream.ReadAsync(buffer, cancellationToken) > 0)
                            {
                                reached.TrySetResult();
                            }
                        }
                        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
                        {
                        }
                    }, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            finally
            {
                foreach (var client in held)
                {
                    client.Dispose();
                }
            }
        }, cancellationToken);
        return reached.Task;
    }
}
