using Helix.Testing;
using Xunit;

using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The store contract on the in-memory fakes of Helix.Testing, so that tests using them see what production does.</summary>
public sealed class InMemoryStoreConformanceTests : StoreConformanceTests
{
    private InMemoryPriceStore? _prices;

    protected override Task<StoreUnderTest> CreateStoresAsync()
    {
        var log = new InMemoryOperationLogStore();
        _prices = new InMemoryPriceStore(log);
        return Task.FromResult(new StoreUnderTest(new InMemoryRouteStore(), log, _prices));
    }

    [Fact]
    public async Task RemoveOverridesAsync_AfterSave_OverrideGoneAndHistoryKept()
    {
        await Prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2.5m), Price("openai", "gpt-4o-mini", 0.15m)], "a", Ct);

        await _prices!.RemoveOverridesAsync(["OpenAI/GPT-4o"], "b", Ct);

        var stored = Assert.Single(await Prices.GetOverridesAsync(Ct));
        Assert.Equal("gpt-4o-mini", stored.Model);
        Assert.Equal([1, 2], _prices.History("openai/gpt-4o").Select(v => v.Version));
        Assert.Empty(_prices.History("openai/gpt-4o")[^1].Entries);
    }

    [Fact]
    public async Task AppendAsync_OnAppendThrows_StoresNothingOfTheBatch()
    {
        var log = (InMemoryOperationLogStore)Log;
        log.OnAppend = (_, _) => throw new InvalidOperationException("disk full");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Log.AppendAsync([TestEntries.Success("a"), TestEntries.Success("b")], Ct));

        Assert.Empty(log.Entries);
        Assert.Equal(0, log.Batches);
    }
}
