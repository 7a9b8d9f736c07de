using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Core.OperationLog;
using Helix.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Durability;

/// <summary>
/// The provider request starts while the open-attempt record commits, but the provider never has the whole request
/// before the record is durable (docs/durability.md): the simulator counts requests begun and requests received whole.
/// </summary>
public sealed class RecordOverlapTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private readonly GatewayFactory _factory;
    private RecordGateLogStore? _store;

    public RecordOverlapTests()
    {
        _factory = new GatewayFactory(
            Path.Combine(Path.GetTempPath(), "helix-gateway-tests", Guid.NewGuid().ToString("N")), ownsDirectory: true,
            new Dictionary<string, string> { ["Helix:OverlapRecordCommit"] = "true" })
        {
            TestServices = services =>
            {
                services.AddSingleton(sp => _store = new RecordGateLogStore(sp.GetRequiredService<SqliteOperationLogStore>()));
                services.AddSingleton<IOperationLogStore>(sp => sp.GetRequiredService<RecordGateLogStore>());
            },
        };
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RecordGateLogStore Store => _store ?? _factory.Services.GetRequiredService<RecordGateLogStore>();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RecordCommitHeld_TheRequestBeginsButIsNotReceivedWholeUntilTheCommit(bool stream)
    {
        var http = _factory.CreateClient();
        var user = "held-" + Guid.NewGuid().ToString("N");
        Store.Hold();

        var call = ChatAsync(http, user, stream);
        await WaitUntilAsync(() => Store.Held == 1 && _factory.Simulator.RequestsBegun == 1);
        await Task.Delay(300, Ct);

        Assert.False(call.IsCompleted);
        Assert.Equal(1, Store.Held);
        Assert.Equal(0, _factory.Simulator.RequestsReceived);
        Assert.Empty(_factory.Simulator.Ledger);

        Store.Release();
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(stream ? "data: [DONE]" : "\"choices\"", body, StringComparison.Ordinal);
        Assert.Equal(1, _factory.Simulator.RequestsReceived);
        Assert.Single(_factory.Simulator.Ledger);
        var row = Assert.Single(await Json.LogsAsync(_factory.CreateAdminClient(), "user=" + user));
        Assert.Equal("success", row.GetProperty("status").GetString());
        Assert.Equal("priced", row.GetProperty("costStatus").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RecordCommitFails_NoRequestIsReceivedWhole_AndTheCallerGetsStoreUnavailable(bool stream)
    {
        var http = _factory.CreateClient();
        var user = "failed-" + Guid.NewGuid().ToString("N");
        Store.Hold();

        var call = ChatAsync(http, user, stream);
        await WaitUntilAsync(() => Store.Held == 1 && _factory.Simulator.RequestsBegun == 1);
        Store.Fail(FaultInjectingLogStore.DiskFull());
        using var response = await call;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal(StoreUnavailableException.Code, error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);

        // The begun request was aborted, never completed, and no other provider was tried.
        await Task.Delay(300, Ct);
        Assert.Equal(1, _factory.Simulator.RequestsBegun);
        Assert.Equal(0, _factory.Simulator.RequestsReceived);
        Assert.Empty(_factory.Simulator.Ledger);
    }

    private static Task<HttpResponseMessage> ChatAsync(HttpClient http, string user, bool stream) =>
        http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Is the record durable yet?" } },
            user,
            stream,
        }, Ct);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < s_wait, "The condition did not hold in time.");
            await Task.Delay(10, Ct);
        }
    }
}
