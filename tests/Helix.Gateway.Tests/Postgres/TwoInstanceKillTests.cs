using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Helix.Gateway.Tests.Durability;
using Xunit;

namespace Helix.Gateway.Tests.Postgres;

/// <summary>Two gateway processes on one PostgreSQL database; one is SIGKILLed mid-load and the survivor recovers what it left open.</summary>
public sealed class TwoInstanceKillTests : IDisposable
{
    private const string AdminKey = "two-instance-kill-admin-key-0123456789";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helix-two-instance-tests", Guid.NewGuid().ToString("N"));

    public TwoInstanceKillTests()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "a"));
        Directory.CreateDirectory(Path.Combine(_directory, "b"));
    }

    [Fact]
    public async Task Sigkill_OneInstanceMidLoad_AnsweredCallsKeptAndTheSurvivorRecoversItsOpenAttempts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await PostgresTestServer.CreateDatabaseAsync();

        // Instance a's deepseek takes every request and never answers: its chat calls are in flight when it dies.
        using var provider = new TcpListener(IPAddress.Loopback, 0);
        provider.Start();
        using var stopProvider = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var held = BudgetKillTests.HoldAsync(provider, stopProvider.Token);
        var shared = new Dictionary<string, string>
        {
            ["Helix__Storage__Provider"] = "postgres",
            ["Helix__Storage__ConnectionString"] = database.ConnectionString,
            ["Helix__Storage__InstanceLease"] = "00:00:02",
        };
        await using var a = await GatewayProcess.StartAsync(Path.Combine(_directory, "a"), AdminKey, new Dictionary<string, string>(shared)
        {
            ["Helix__Storage__InstanceId"] = "gateway-a",
            ["Helix__Providers__deepseek__BaseUrl"] = $"http://127.0.0.1:{((IPEndPoint)provider.LocalEndpoint).Port}/",
        }, cancellationToken);
        await using var b = await GatewayProcess.StartAsync(Path.Combine(_directory, "b"), AdminKey, new Dictionary<string, string>(shared)
        {
            ["Helix__Storage__InstanceId"] = "gateway-b",
        }, cancellationToken);
        using var httpA = new HttpClient { BaseAddress = a.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var httpB = new HttpClient { BaseAddress = b.BaseAddress };

        // Answered through a (memory-synthesis is served by gemini, simulated) and through b, before and after the kill.
        var answered = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answered.Add(await AnsweredAsync(httpA, "memory-synthesis", "before", cancellationToken));
            answered.Add(await AnsweredAsync(httpB, "chat", "before", cancellationToken));
        }

        var inFlight = Enumerable.Range(0, 8).Select(i => CallAsync(httpA, "chat", "in-flight", cancellationToken)).ToArray();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (held.Count < inFlight.Length && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, cancellationToken);
        }

        Assert.Equal(inFlight.Length, held.Count);
        a.Kill();
        foreach (var call in inFlight)
        {
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => call);
        }

        for (var i = 0; i < 5; i++)
        {
            answered.Add(await AnsweredAsync(httpB, "chat", "after", cancellationToken));
        }

        // The survivor recovers a's attempts once a's 2-second lease has run out (its lease round runs every 2/3 s).
        using var admin = new HttpClient { BaseAddress = b.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        JsonElement[] rows = [];
        waited.Restart();
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            rows = await Json.LogsAsync(admin);
            if (rows.Count(r => r.GetProperty("status").GetString() == "interrupted") >= inFlight.Length)
            {
                break;
            }

            await Task.Delay(200, cancellationToken);
        }

        var ids = rows.Select(r => r.GetProperty("requestId").GetString()).ToHashSet();
        Assert.All(answered, id => Assert.Contains(id, ids));
        var interrupted = rows.Where(r => r.GetProperty("status").GetString() == "interrupted").ToArray();
        Assert.Equal(inFlight.Length, interrupted.Length);
        Assert.All(interrupted, r => Assert.Equal("in-flight", r.GetProperty("user").GetString()));
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM open_attempts"));
        await stopProvider.CancelAsync();
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

    private static async Task<string> AnsweredAsync(HttpClient http, string operation, string user, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", Body(operation, user), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Helix-Request-Id").Single();
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient http, string operation, string user, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", Body(operation, user), cancellationToken);
        return response.StatusCode;
    }

    private static object Body(string operation, string user) => new
    {
        model = "op:" + operation,
        user,
        max_tokens = 50,
        messages = new[] { new { role = "user", content = "hello" } },
    };
}
