using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helix.Simulator;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Providers.Tests.Simulator;

public sealed class SimulatorServerTests : SimulatorTestBase
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(s_start);

    protected override SimulatorOptions Options => new() { TimeProvider = _time };

    [Fact]
    public void BaseAddress_EphemeralPort_IsLoopbackRoot()
    {
        Assert.Equal("127.0.0.1", Server.BaseAddress.Host);
        Assert.NotEqual(0, Server.BaseAddress.Port);
        Assert.Equal("/", Server.BaseAddress.AbsolutePath);
    }

    [Theory]
    [InlineData("openai", "openai/v1/")]
    [InlineData("deepseek", "deepseek/")]
    [InlineData("gemini", "gemini/v1beta/")]
    [InlineData("anthropic", "anthropic/")]
    [InlineData("deepgram", "deepgram/")]
    public void GetProviderBaseAddress_KnownProvider_IsRootPlusPrefix(string provider, string prefix)
    {
        Assert.Equal(new Uri(Server.BaseAddress, prefix), Server.GetProviderBaseAddress(provider));
    }

    [Fact]
    public void GetProviderBaseAddress_UnknownProvider_Throws()
    {
        Assert.Throws<ArgumentException>(() => Server.GetProviderBaseAddress("mistral"));
    }

    [Fact]
    public async Task StartAsync_FixedPort_ListensOnIt()
    {
        var port = Server.BaseAddress.Port;
        await Server.StopAsync(Ct);

        await using var second = await SimulatorServer.StartAsync(new SimulatorOptions { Port = port }, Ct);

        Assert.Equal(port, second.BaseAddress.Port);
    }

    [Fact]
    public async Task Ledger_MonthOfFakeTime_StampsEachCallWithTheFakeClock()
    {
        for (var day = 0; day < 30; day++)
        {
            using var response = await PostJsonAsync("openai/v1/chat/completions", """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""");
            Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), (await ReadJsonAsync(response)).GetProperty("created").GetInt64());
            _time.Advance(TimeSpan.FromDays(1));
        }

        var ledger = State.Ledger;
        Assert.Equal(30, ledger.Count);
        Assert.Equal(Enumerable.Range(0, 30).Select(d => s_start.AddDays(d)), ledger.Select(e => e.At));
        Assert.Equal(30 * 24, ledger.Sum(e => e.CompletionTokens));

        State.ClearLedger();

        Assert.Empty(State.Ledger);
    }

    [Fact]
    public async Task ControlApi_PutBehavior_AppliesFaultForCountThenClears()
    {
        using var put = await Http.PutAsJsonAsync(
            "_simulator/behavior",
            new { provider = "anthropic", model = "claude-haiku-4-5", fault = "overloaded", faultCount = 1, latencyMs = 0 },
            Ct);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        const string request = """{"model":"claude-haiku-4-5","max_tokens":10,"messages":[{"role":"user","content":"q"}]}""";

        using var first = await PostJsonAsync("anthropic/v1/messages", request);
        using var second = await PostJsonAsync("anthropic/v1/messages", request);

        Assert.Equal(529, (int)first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(SimulatorFault.Overloaded, State.GetBehavior("anthropic", "claude-haiku-4-5").Fault);
    }

    [Fact]
    public async Task ControlApi_PutBehaviorWithoutProviderOrModel_SetsDefaultTokens()
    {
        using var put = await Http.PutAsJsonAsync("_simulator/behavior", new { completionTokens = 3, promptTokens = 50, cachedTokens = 10 }, Ct);

        using var response = await PostJsonAsync("deepseek/chat/completions", """{"model":"deepseek-chat","messages":[{"role":"user","content":"q"}]}""");

        var usage = (await ReadJsonAsync(response)).GetProperty("usage");
        Assert.Equal((50, 3, 10), (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("prompt_cache_hit_tokens").GetInt32()));
        Assert.Equal(3, State.Default.CompletionTokens);
    }

    [Fact]
    public async Task ControlApi_PutBehaviorWithBadFields_Answers400NamingEachAndChangesNothing()
    {
        using var put = await Http.PutAsJsonAsync("_simulator/behavior", new { fault = "explode", completionTokens = -1, colour = "red" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var errors = (await ReadJsonAsync(put)).GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("colour", StringComparison.Ordinal));
        Assert.Equal(new SimulatorBehavior(), State.Default);
    }

    [Fact]
    public async Task ControlApi_DeleteBehavior_ResetsEveryBehaviour()
    {
        State.SetBehavior("openai", null, new SimulatorBehavior { Fault = SimulatorFault.ServerError });
        State.Default = new SimulatorBehavior { CompletionTokens = 1 };

        using var delete = await Http.DeleteAsync("_simulator/behavior", Ct);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(new SimulatorBehavior(), State.GetBehavior("openai", "gpt-4o"));
    }

    [Fact]
    public async Task ControlApi_GetLedger_ReturnsEntriesReadableAsLedgerRecords()
    {
        using var call = await PostJsonAsync("gemini/v1beta/models/gemini-2.5-flash:generateContent", """{"contents":[{"parts":[{"text":"12345678"}]}]}""");

        var entries = await Http.GetFromJsonAsync<List<SimulatorLedgerEntry>>("_simulator/ledger", JsonSerializerOptions.Web, Ct);

        var entry = Assert.Single(entries!);
        Assert.Equal(Assert.Single(State.Ledger), entry);
        Assert.Equal(("gemini", 2L, 24L, s_start), (entry.Provider, entry.PromptTokens, entry.CompletionTokens, entry.At));

        using var delete = await Http.DeleteAsync("_simulator/ledger", Ct);

        Assert.Empty(State.Ledger);
    }
}
