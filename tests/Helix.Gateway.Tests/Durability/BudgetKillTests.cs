using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Xunit;

namespace Helix.Gateway.Tests.Durability;

/// <summary>A gateway SIGKILLed mid-burst against a hard budget: after restart, spend is rebuilt and no reservation hangs.</summary>
public sealed class BudgetKillTests : IDisposable
{
    private const string AdminKey = "budget-kill-admin-key-0123456789";
    private const string Limit = "0.003";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helix-budget-kill-tests", Guid.NewGuid().ToString("N"));

    public BudgetKillTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Sigkill_MidBurstWithReservationsInFlight_SpendRebuiltWithinTheLimitAndNothingReserved()
    {
        var cancellationToken = TestContext.Current.CancellationToken;

        // A provider that takes every request and never answers: the reserved calls are in flight when the gateway dies.
        using var provider = new TcpListener(IPAddress.Loopback, 0);
        provider.Start();
        using var stopProvider = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var held = HoldAsync(provider, stopProvider.Token);
        var environment = new Dictionary<string, string>
        {
            ["Helix__Providers__deepseek__BaseUrl"] = $"http://127.0.0.1:{((IPEndPoint)provider.LocalEndpoint).Port}/",
        };

        string budgetId;
        int refused;
        await using (var gateway = await GatewayProcess.StartAsync(_directory, AdminKey, environment, cancellationToken))
        {
            using var admin = Admin(gateway.BaseAddress);
            using var put = await admin.PutAsJsonAsync("/admin/api/budgets", new { scope = "user", subject = "killed", period = "day", limitUsd = Limit }, cancellationToken);
            put.EnsureSuccessStatusCode();
            budgetId = (await Json.ReadAsync(put)).GetProperty("id").GetString()!;

            using var http = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            var calls = Enumerable.Range(0, 30).Select(i => CallAsync(http, i, cancellationToken)).ToArray();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (calls.Count(c => c.IsCompleted) + held.Count < calls.Length && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50, cancellationToken);
            }

            refused = calls.Count(c => c.IsCompletedSuccessfully && c.Result == HttpStatusCode.TooManyRequests);
            Assert.True(refused > 0, "No call was refused: the budget is too large for the test.");
            Assert.True(held.Count > 0, "No call reached the provider.");
            Assert.Equal(calls.Length, refused + held.Count);

            gateway.Kill();
            foreach (var call in calls.Where(c => !c.IsCompleted))
            {
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => call);
            }
        }

        await stopProvider.CancelAsync();
        await using var restarted = await GatewayProcess.StartAsync(_directory, AdminKey, cancellationToken);
        using var restartedAdmin = Admin(restarted.BaseAddress);
        var rows = (await Json.LogsAsync(restartedAdmin)).Where(r => r.GetProperty("user").ValueKind == JsonValueKind.String && r.GetProperty("user").GetString() == "killed").ToArray();
        Assert.Equal(held.Count, rows.Length);
        Assert.All(rows, r => Assert.Equal("interrupted", r.GetProperty("status").GetString()));
        var logged = rows.Sum(r => decimal.Parse(r.GetProperty("costUsd").GetString()!, CultureInfo.InvariantCulture));

        var budgets = await Json.ReadAsync(await restartedAdmin.GetAsync("/admin/api/budgets", cancellationToken));
        var budget = budgets.GetProperty("items").EnumerateArray().Single(b => b.GetProperty("id").GetString() == budgetId);
        Assert.Equal(logged, decimal.Parse(budget.GetProperty("spentUsd").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal("0", budget.GetProperty("reservedUsd").GetString());
        Assert.True(logged <= decimal.Parse(Limit, CultureInfo.InvariantCulture), $"spent {logged} over the limit {Limit}");
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

    private static HttpClient Admin(Uri baseAddress)
    {
        var admin = new HttpClient { BaseAddress = baseAddress };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        return admin;
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient http, int i, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            user = "killed",
            max_tokens = 1000,
            messages = new[] { new { role = "user", content = $"burst call {i}" } },
        }, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Accepts connections and never answers; counts the requests that arrived.</summary>
    internal static HeldRequests HoldAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        var held = new HeldRequests();
        _ = Task.Run(async () =>
        {
            var clients = new List<TcpClient>();
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(cancellationToken);
                    clients.Add(client);
                    _ = Task.Run(async () =>
                    {
                        var buffer = new byte[8192];
                        var counted = false;
                        try
                        {
                            var stream = client.GetStream();
                            while (await stream.ReadAsync(buffer, cancellationToken) > 0)
                            {
                                if (!counted)
                                {
                                    counted = true;
                                    held.Add();
                                }
                            }
                        }
                        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
                        {
                        }
                    }, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
            finally
            {
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }
        }, cancellationToken);
        return held;
    }

    internal sealed class HeldRequests
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }
}
