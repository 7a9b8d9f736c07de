using Helix.Core.Hosting;
using Helix.Core.Pricing;
using Helix.Core.Routing;
using Helix.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Helix.Core.Tests.Hosting;

public sealed class HelixRefreshServiceTests : IAsyncDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private readonly TimerWatchingTimeProvider _time = new(TestEntries.Epoch);
    private readonly HookedRouteStore _routeStore = new(new InMemoryRouteStore());
    private readonly SignallingPriceStore _prices = new(new InMemoryPriceStore());
    private readonly RecordingLogger<HelixRefreshService> _logger = new();
    private readonly RouteTable _routes;
    private readonly HelixInitializer _initializer;
    private readonly HelixRefreshService _service;

    public HelixRefreshServiceTests()
    {
        _routes = new RouteTable(_routeStore, _time);
        _initializer = new HelixInitializer(_routes, new CostEngine(BuiltInPriceBook.Create()), _prices);
        _service = new HelixRefreshService(_initializer, Options.Create(new HelixOptions { RefreshInterval = s_interval }), _time, _logger);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        _routes.Dispose();
        _prices.Dispose();
        _logger.Dispose();
        _time.Dispose();
    }

    [Fact]
    public async Task StartAsync_StoresAnswer_InitializesBeforeReturning()
    {
        await _service.StartAsync(Ct);

        Assert.True(_initializer.Ready.IsCompletedSuccessfully);
        Assert.True(_routes.Current.TryGetRoute("chat", out _));
        Assert.False(_service.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task StartAsync_RouteStoreThrows_ThrowsAndNeverStartsTheTimer()
    {
        _routeStore.OnRead = _ => throw new InvalidOperationException("The database is down.");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _service.StartAsync(Ct));

        Assert.True(_initializer.Ready.IsFaulted);
        Assert.Null(_service.ExecuteTask);
    }

    [Fact]
    public async Task ExecuteAsync_IntervalPasses_ReloadsARouteChangedInTheStore()
    {
        await StartAndWaitForTimerAsync();
        await _routeStore.Inner.SaveRouteAsync(ChatRoute("gemini/gemini-2.5-pro", version: 2), Ct);

        _time.Advance(s_interval - TimeSpan.FromTicks(1));
        var reloadedEarly = await _prices.Read.WaitAsync(TimeSpan.FromMilliseconds(100), Ct);
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.False(reloadedEarly);
        Assert.True(await _prices.Read.WaitAsync(s_wait, Ct));
        Assert.Equal(2, _routes.Current.Revision);
        Assert.Equal("gemini/gemini-2.5-pro", PrimaryOfChat());
        Assert.Equal(_time.GetUtcNow(), _routes.LoadedAt);
    }

    [Fact]
    public async Task ExecuteAsync_SeveralIntervals_ReloadsOncePerInterval()
    {
        await StartAndWaitForTimerAsync();

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(s_interval);
            Assert.True(await _prices.Read.WaitAsync(s_wait, Ct));
        }

        Assert.Equal(4, _routes.Current.Revision);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ExecuteAsync_ReloadFails_KeepsTheSnapshotLogsAndReloadsOnTheNextTick(bool storeTimesOut)
    {
        await StartAndWaitForTimerAsync();
        Exception failure = storeTimesOut
            ? new OperationCanceledException("The store's command timed out.")
            : new InvalidOperationException("The database is down.");
        _routeStore.OnRead = _ => throw failure;
        await _routeStore.Inner.SaveRouteAsync(ChatRoute("gemini/gemini-2.5-pro", version: 2), Ct);

        _time.Advance(s_interval);

        Assert.True(await _logger.Logged.WaitAsync(s_wait, Ct));
        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(failure, entry.Exception);
        Assert.Contains("previous snapshot stays in force", entry.Message, StringComparison.Ordinal);
        Assert.Equal(1, _routes.Current.Revision);
        Assert.Equal("deepseek/deepseek-v4-flash", PrimaryOfChat());
        Assert.False(_service.ExecuteTask!.IsCompleted);

        _routeStore.OnRead = null;
        _time.Advance(s_interval);

        Assert.True(await _prices.Read.WaitAsync(s_wait, Ct));
        Assert.Equal("gemini/gemini-2.5-pro", PrimaryOfChat());
        Assert.Single(_logger.Entries);
    }

    [Fact]
    public async Task StopAsync_WhileWaiting_EndsTheLoopWithoutLogging()
    {
        await StartAndWaitForTimerAsync();

        await _service.StopAsync(Ct);

        Assert.True(_service.ExecuteTask!.IsCompleted);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public async Task StopAsync_DuringAReload_EndsTheLoopWithoutLoggingAFailure()
    {
        await StartAndWaitForTimerAsync();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _routeStore.OnRead = async ct =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        };
        _time.Advance(s_interval);
        await entered.Task.WaitAsync(s_wait, Ct);

        await _service.StopAsync(Ct);

        Assert.True(_service.ExecuteTask!.IsCanceled);
        Assert.Empty(_logger.Entries);
        Assert.Equal(1, _routes.Current.Revision);
    }

    [Fact]
    public void HelixOptions_Defaults_RefreshEveryFiveMinutesUnderTheHelixSection()
    {
        var options = new HelixOptions();

        Assert.Equal(TimeSpan.FromMinutes(5), options.RefreshInterval);
        Assert.Equal("Helix", HelixOptions.SectionName);
    }

    [Fact]
    public void Constructor_NullArgument_Throws()
    {
        var options = Options.Create(new HelixOptions());

        Assert.Throws<ArgumentNullException>(() => new HelixRefreshService(null!, options, _time, _logger));
        Assert.Throws<ArgumentNullException>(() => new HelixRefreshService(_initializer, null!, _time, _logger));
        Assert.Throws<ArgumentNullException>(() => new HelixRefreshService(_initializer, options, null!, _logger));
        Assert.Throws<ArgumentNullException>(() => new HelixRefreshService(_initializer, options, _time, null!));
    }

    private async Task StartAndWaitForTimerAsync()
    {
        await _service.StartAsync(Ct);
        Assert.True(await _prices.Read.WaitAsync(s_wait, Ct));
        Assert.True(await _time.TimerCreated.WaitAsync(s_wait, Ct));
    }

    private static RouteConfig ChatRoute(string primary, long version) =>
        TestModels.Routes[0] with { PrimaryModel = primary, Version = version };

    private string PrimaryOfChat() =>
        _routes.Current.TryGetRoute("chat", out var decision) ? decision.Route.PrimaryModel : "(none)";
}
