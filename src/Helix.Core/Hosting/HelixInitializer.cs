using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;

namespace Helix.Core.Hosting;

/// <summary>Loads routes and price overrides into memory before the first call, and reloads them on demand.</summary>
/// <remarks>
/// Thread-safe. <see cref="Ready"/> completes once the first load succeeded; a failed first load faults it, so a
/// host that awaits it stops instead of serving with no routes.
/// </remarks>
public sealed class HelixInitializer
{
    private readonly RouteTable _routes;
    private readonly CostEngine _costs;
    private readonly IPriceStore _prices;
    private readonly PriceBook _builtIn;
    private readonly IReadOnlyList<PriceEntry> _configured;
    private readonly OpenAttemptRecovery? _recovery;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates an initializer.</summary>
    /// <param name="routes">The route table to load.</param>
    /// <param name="costs">The engine whose book is published; its book at construction is the base every reload layers on.</param>
    /// <param name="prices">The admin overrides.</param>
    /// <param name="configured">Overrides from the host's configuration, or <see langword="null"/>; admin overrides of the same model win.</param>
    /// <param name="recovery">Settles the attempts a dead process left open before the first load, or <see langword="null"/>.</param>
    public HelixInitializer(RouteTable routes, CostEngine costs, IPriceStore prices, ConfiguredPriceOverrides? configured = null, OpenAttemptRecovery? recovery = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(prices);
        _routes = routes;
        _costs = costs;
        _prices = prices;
        _builtIn = costs.Book;
        _configured = configured?.Entries ?? [];
        _recovery = recovery;
    }

    /// <summary>Completes once routes and prices are in memory.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Recovers open attempts, then loads everything; the first call completes <see cref="Ready"/>.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (_recovery is not null)
            {
                await _recovery.RecoverAsync(cancellationToken);
            }

            await ReloadAsync(cancellationToken);
            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            _ready.TrySetException(ex);
            throw;
        }
    }

    /// <summary>Reloads routes and price overrides from the store and publishes them.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _routes.ReloadAsync(cancellationToken);
        await ReloadPricesAsync(cancellationToken);
    }

    /// <summary>Reloads price overrides and publishes the built-in book with them layered on top.</summary>
    /// <remarks>Layers, lowest first: the built-in book, the configured overrides, the admin overrides (per model).</remarks>
    public async Task ReloadPricesAsync(CancellationToken cancellationToken = default)
    {
        var stored = await _prices.GetOverridesAsync(cancellationToken);
        var storedModels = stored.Select(e => PriceBook.Key(e.Provider, e.Model)).ToHashSet(StringComparer.Ordinal);
        var overrides = _configured.Where(e => !storedModels.Contains(PriceBook.Key(e.Provider, e.Model))).Concat(stored).ToList();
        _costs.Publish(overrides.Count == 0 ? _builtIn : _builtIn.WithOverrides(overrides));
    }
}
