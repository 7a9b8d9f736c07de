using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Core.OperationLog;
using Helix.Simulator;
using Helix.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Durability;

/// <summary>
/// A failing store (full disk, read-only database), injected under the real SQLite store: calls fail fast with 503 and
/// reach no provider; what a provider billed meanwhile reaches the log once the store recovers, without a restart,
/// so the simulator's ledger equals the log.
/// </summary>
public sealed class StoreFailureTests : IDisposable
{
    private static readonly TimeSpan s_recovery = TimeSpan.FromSeconds(10);

    private readonly GatewayFactory _factory;
    private FaultInjectingLogStore? _store;

    public StoreFailureTests()
    {
        _factory = new GatewayFactory
        {
            TestServices = services =>
            {
                services.AddSingleton(sp => _store = new FaultInjectingLogStore(sp.GetRequiredService<SqliteOperationLogStore>()));
                services.AddSingleton<IOperationLogStore>(sp => sp.GetRequiredService<FaultInjectingLogStore>());
            },
        };
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FaultInjectingLogStore Store => _store ?? _factory.Services.GetRequiredService<FaultInjectingLogStore>();

    public void Dispose() => _factory.Dispose();

    public static TheoryData<string> Faults => ["disk-full", "read-only"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task StoreFailsBetweenCalls_CallsFailFastWith503AndReachNoProvider_ThenServeAgainWithoutRestart(string fault)
    {
        var http = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(http, "before")).StatusCode);
        Store.Fault = FaultOf(fault);

        using (var first = await ChatAsync(http, "during-1"))
        {
            await AssertStoreUnavailableAsync(first);
        }

        var clock = Stopwatch.StartNew();
        using (var second = await ChatAsync(http, "during-2"))
        {
            clock.Stop();
            await AssertStoreUnavailableAsync(second);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"A call with the store known to fail took {clock.Elapsed}.");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/healthz", Ct)).StatusCode);
        Assert.Single(_factory.Simulator.Ledger);

        Store.Fault = null;
        await WaitUntilAsync(async () => (await http.GetAsync("/healthz", Ct)).StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(http, "after")).StatusCode);

        await AssertLedgerEqualsLogAsync(expectedCalls: 2);
    }

    [Fact]
    public async Task StoreTurnsReadOnlyWithNoCalls_HealthzSays503_AndRecovers()
    {
        var http = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", Ct)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1.1), Ct);

        Store.Fault = FaultInjectingLogStore.ReadOnly;
        using var unhealthy = await http.GetAsync("/healthz", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        Assert.Contains("store unavailable", await unhealthy.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertStoreUnavailableAsync(await ChatAsync(http, "refused"));
        Assert.Empty(_factory.Simulator.Ledger);

        Store.Fault = null;
        await WaitUntilAsync(async () => (await http.GetAsync("/healthz", Ct)).StatusCode == HttpStatusCode.OK);
        await AssertLedgerEqualsLogAsync(expectedCalls: 0);
    }

    [Theory]
    [InlineData("disk-full", false)]
    [InlineData("disk-full", true)]
    [InlineData("read-only", false)]
    [InlineData("read-only", true)]
    public async Task StoreFailsDuringACall_TheBilledCallReachesTheLogWithItsUsageOnceTheStoreRecovers(string fault, bool stream)
    {
        _factory.Simulator.SetBehavior("deepseek", "deepseek-v4-flash", new SimulatorBehavior { Latency = TimeSpan.FromMilliseconds(600) });
        var http = _factory.CreateClient();
        var user = "during-" + Guid.NewGuid().ToString("N");

        var call = ChatAsync(http, user, stream);
        await WaitUntilAsync(async () => await OpenAttemptsAsync() == 1);
        Store.Fault = FaultOf(fault);
        using var response = await call;

        if (stream)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var events = (await response.Content.ReadAsStringAsync(Ct)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.DoesNotContain("data: [DONE]", events);
            var error = JsonDocument.Parse(events[^1]["data: ".Length..]).RootElement.GetProperty("error");
            Assert.Equal(StoreUnavailableException.Code, error.GetProperty("code").GetString());
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        }
        else
        {
            await AssertStoreUnavailableAsync(response);
        }

        Assert.Single(_factory.Simulator.Ledger);
        Assert.Empty(await Json.LogsAsync(_factory.CreateAdminClient(), "user=" + user));

        Store.Fault = null;
        await WaitUntilAsync(async () => (await Json.LogsAsync(_factory.CreateAdminClient(), "user=" + user)).Length == 1);

        var row = Assert.Single(await Json.LogsAsync(_factory.CreateAdminClient(), "user=" + user));
        Assert.Equal("success", row.GetProperty("status").GetString());
        Assert.True(row.GetProperty("usageKnown").GetBoolean());
        Assert.Equal("priced", row.GetProperty("costStatus").GetString());
        Assert.Equal(0, await OpenAttemptsAsync());
        await AssertLedgerEqualsLogAsync(expectedCalls: 1);
    }

    private static Func<Exception> FaultOf(string fault) => fault == "read-only" ? FaultInjectingLogStore.ReadOnly : FaultInjectingLogStore.DiskFull;

    private static Task<HttpResponseMessage> ChatAsync(HttpClient http, string user, bool stream = false) =>
        http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Is the disk fine?" } },
            user,
            stream,
        }, Ct);

    private static async Task AssertStoreUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal(StoreUnavailableException.Code, error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    // Every call the simulator billed has exactly one priced row with the usage the simulator billed, and nothing else is logged.
    private async Task AssertLedgerEqualsLogAsync(int expectedCalls)
    {
        var ledger = _factory.Simulator.Ledger;
        var rows = await Json.LogsAsync(_factory.CreateAdminClient());
        Assert.Equal(expectedCalls, ledger.Count);
        Assert.Equal(
            ledger.Select(e => (e.PromptTokens, e.CompletionTokens)).Order(),
            rows.Select(r => (r.GetProperty("promptTokens").GetInt64(), r.GetProperty("completionTokens").GetInt64())).Order());
        Assert.All(rows, r => Assert.Equal("priced", r.GetProperty("costStatus").GetString()));
        Assert.Equal(0, await OpenAttemptsAsync());
    }

    private async Task<long> OpenAttemptsAsync()
    {
        await using var connection = await _factory.Services.GetRequiredService<SqliteDatabase>().OpenConnectionAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM open_attempts";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < s_recovery, "The condition did not hold in time.");
            await Task.Delay(20, Ct);
        }
    }
}
