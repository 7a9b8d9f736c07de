using Helix.Core.Hosting;
using Helix.Core.Pricing;
using Helix.Core.Routing;
using Helix.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.Hosting;

public sealed class HelixInitializerTests : IDisposable
{
    private static readonly DateTimeOffset s_at = TestEntries.Epoch;

    private readonly FakeTimeProvider _time = new(TestEntries.Epoch);
    private readonly HookedRouteStore _routeStore = new(new InMemoryRouteStore());
    private readonly InMemoryPriceStore _prices = new();
    private readonly CostEngine _costs = new(BuiltInPriceBook.Create());
    private readonly RouteTable _routes;
    private readonly HelixInitializer _initializer;

    public HelixInitializerTests()
    {
        _routes = new RouteTable(_routeStore, _time);
        _initializer = new HelixInitializer(_routes, _costs, _prices);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _routes.Dispose();

    [Fact]
    public async Task InitializeAsync_StoresAnswer_LoadsRoutesAndCompletesReady()
    {
        Assert.False(_initializer.Ready.IsCompleted);

        await _initializer.InitializeAsync(Ct);

        Assert.True(_initializer.Ready.IsCompletedSuccessfully);
        Assert.True(_routes.Current.TryGetRoute("chat", out var decision));
        Assert.Equal("deepseek/deepseek-v4-flash", decision.Route.PrimaryModel);
    }

    [Fact]
    public async Task InitializeAsync_RouteStoreThrows_RethrowsAndFaultsReady()
    {
        var failure = new InvalidOperationException("The database is down.");
        _routeStore.OnRead = _ => throw failure;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => _initializer.InitializeAsync(Ct));

        Assert.Same(failure, thrown);
        Assert.True(_initializer.Ready.IsFaulted);
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => _initializer.Ready));
        Assert.Throws<InvalidOperationException>(() => _routes.Current);
    }

    [Fact]
    public async Task InitializeAsync_FailsAfterASuccessfulLoad_RethrowsButReadyStaysCompleted()
    {
        await _initializer.InitializeAsync(Ct);
        _routeStore.OnRead = _ => throw new InvalidOperationException("The database is down.");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _initializer.InitializeAsync(Ct));

        Assert.True(_initializer.Ready.IsCompletedSuccessfully);
        Assert.Equal(1, _routes.Current.Revision);
    }

    [Fact]
    public async Task ReloadAsync_RouteChangedInStore_PublishesIt()
    {
        await _initializer.InitializeAsync(Ct);
        await _routeStore.Inner.SaveRouteAsync(TestModels.Routes[0] with { PrimaryModel = "openai/gpt-4.1", Version = 2 }, Ct);

        await _initializer.ReloadAsync(Ct);

        Assert.Equal(2, _routes.Current.Revision);
        Assert.True(_routes.Current.TryGetRoute("chat", out var decision));
        Assert.Equal("openai/gpt-4.1", decision.Route.PrimaryModel);
    }

    [Fact]
    public async Task ReloadPricesAsync_OverrideSaved_LayersItOverTheBuiltInBook()
    {
        var builtInBook = _costs.Book;
        Assert.True(builtInBook.TryFind("openai", "gpt-4o-mini", s_at, out var builtIn));
        Assert.True(builtInBook.TryFind("deepseek", "deepseek-v4-flash", s_at, out var untouched));
        await _prices.SaveOverridesAsync([Override("openai", "gpt-4o-mini", input: 9m, output: 99m)], "admin", Ct);

        await _initializer.ReloadPricesAsync(Ct);

        Assert.True(_costs.TryFindPrice("openai", "gpt-4o-mini", null, s_at, out var price));
        Assert.True(price!.IsOverride);
        Assert.Equal((9m, 99m, "https://prices.example/admin"), (price.Rates.Input, price.Rates.Output, price.Source));
        Assert.NotEqual(builtIn.Rates, price.Rates);
        Assert.True(_costs.TryFindPrice("deepseek", "deepseek-v4-flash", null, s_at, out var other));
        Assert.Equal(untouched, other);
    }

    [Fact]
    public async Task ReloadPricesAsync_OverrideRemoved_RestoresTheBuiltInPrice()
    {
        var builtInBook = _costs.Book;
        Assert.True(builtInBook.TryFind("openai", "gpt-4o-mini", s_at, out var builtIn));
        await _prices.SaveOverridesAsync([Override("openai", "gpt-4o-mini", input: 9m, output: 99m)], "admin", Ct);
        await _initializer.ReloadPricesAsync(Ct);

        await _prices.RemoveOverridesAsync(["openai/gpt-4o-mini"], "admin", Ct);
        await _initializer.ReloadPricesAsync(Ct);

        Assert.Same(builtInBook, _costs.Book);
        Assert.True(_costs.TryFindPrice("openai", "gpt-4o-mini", null, s_at, out var price));
        Assert.Equal(builtIn, price);
        Assert.False(price!.IsOverride);
    }

    [Fact]
    public async Task ReloadPricesAsync_SecondOverrideReplacesTheFirst_NotLayeredOnIt()
    {
        await _prices.SaveOverridesAsync([Override("openai", "gpt-4o-mini", input: 9m, output: 99m)], "admin", Ct);
        await _initializer.ReloadPricesAsync(Ct);
        await _prices.SaveOverridesAsync([Override("openai", "gpt-4.1", input: 3m, output: 30m)], "admin", Ct);
        await _prices.RemoveOverridesAsync(["openai/gpt-4o-mini"], "admin", Ct);

        await _initializer.ReloadPricesAsync(Ct);

        Assert.True(_costs.TryFindPrice("openai", "gpt-4o-mini", null, s_at, out var mini));
        Assert.False(mini!.IsOverride);
        Assert.True(_costs.TryFindPrice("openai", "gpt-4.1", null, s_at, out var full));
        Assert.Equal((true, 3m), (full!.IsOverride, full.Rates.Input));
    }

    [Fact]
    public async Task ReloadPricesAsync_ConfiguredOverrides_LayerOverBuiltInAndUnderAdminOverrides()
    {
        var configured = new ConfiguredPriceOverrides(
            [Override("openai", "gpt-4o-mini", input: 1m, output: 2m), Override("openai", "gpt-4.1", input: 5m, output: 6m)]);
        var initializer = new HelixInitializer(_routes, _costs, _prices, configured);
        await _prices.SaveOverridesAsync([Override("openai", "gpt-4.1", input: 7m, output: 8m)], "admin", Ct);

        await initializer.ReloadPricesAsync(Ct);

        Assert.True(_costs.TryFindPrice("openai", "gpt-4o-mini", null, s_at, out var mini));
        Assert.Equal((1m, 2m), (mini!.Rates.Input, mini.Rates.Output));
        Assert.True(_costs.TryFindPrice("openai", "gpt-4.1", null, s_at, out var full));
        Assert.Equal((7m, 8m), (full!.Rates.Input, full.Rates.Output));
    }

    [Fact]
    public void Constructor_NullArgument_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new HelixInitializer(null!, _costs, _prices));
        Assert.Throws<ArgumentNullException>(() => new HelixInitializer(_routes, null!, _prices));
        Assert.Throws<ArgumentNullException>(() => new HelixInitializer(_routes, _costs, null!));
    }

    private static PriceEntry Override(string provider, string model, decimal input, decimal output) => new()
    {
        Provider = provider,
        Model = model,
        Rates = new PriceRates { Input = input, Output = output },
        Source = "https://prices.example/admin",
        SourceDate = new DateOnly(2026, 2, 1),
    };
}
