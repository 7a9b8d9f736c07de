using Helix.Core.Pipeline;

namespace Helix.Core.Routing;

/// <summary>Serves the current routing snapshot from memory and publishes a new one on every change.</summary>
/// <remarks>
/// Thread-safe. <see cref="Current"/> is a volatile read; <see cref="ReloadAsync"/> builds a new snapshot from the
/// store and swaps it in. A reload that fails keeps the previous snapshot (the first load throws, so a bad store
/// stops start-up).
/// </remarks>
public sealed class RouteTable : IDisposable
{
    private readonly IRouteStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private RoutingSnapshot? _current;
    private long _revision;

    /// <summary>Creates a table over <paramref name="store"/>.</summary>
    public RouteTable(IRouteStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <inheritdoc/>
    public void Dispose() => _reloadLock.Dispose();

    /// <summary>The snapshot in force.</summary>
    /// <exception cref="InvalidOperationException">Nothing was loaded yet.</exception>
    public RoutingSnapshot Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("Routes are not loaded yet; call ReloadAsync at start-up.");

    /// <summary>When the snapshot in force was loaded.</summary>
    public DateTimeOffset LoadedAt { get; private set; }

    /// <summary>Loads routes and models from the store and publishes them.</summary>
    public async Task<RoutingSnapshot> ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            var models = await _store.GetModelsAsync(cancellationToken);
            var routes = await _store.GetRoutesAsync(cancellationToken);
            var snapshot = new RoutingSnapshot(Interlocked.Increment(ref _revision), routes, models);
            Volatile.Write(ref _current, snapshot);
            LoadedAt = _time.GetUtcNow();
            return snapshot;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary>Changes the models of a route; the change takes effect on the next call.</summary>
    /// <param name="operation">The operation whose route changes.</param>
    /// <param name="primaryModel">The new primary model (catalog id, or provider model id when unambiguous).</param>
    /// <param name="fallbackModels">The new fallback chain.</param>
    /// <param name="changedBy">Who made the change, for the history.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The new route, or the error that refused it (nothing is changed then).</returns>
    public Task<Result<RouteConfig>> UpdateModelsAsync(
        string operation, string primaryModel, IReadOnlyList<string> fallbackModels, string changedBy,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fallbackModels);
        return UpdateAsync(operation, new RouteChange(primaryModel, fallbackModels), changedBy, cancellationToken);
    }

    /// <summary>Changes a route: its models and/or its unknown-price policy; the change takes effect on the next call.</summary>
    /// <param name="operation">The operation whose route changes.</param>
    /// <param name="change">What changes; what it leaves <see langword="null"/> stays as it is.</param>
    /// <param name="changedBy">Who made the change, for the history.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The new route, or the error that refused it (nothing is changed then).</returns>
    public async Task<Result<RouteConfig>> UpdateAsync(
        string operation, RouteChange change, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(change);
        var snapshot = Current;
        if (!snapshot.TryGetRoute(operation, out var decision))
        {
            return GatewayError.UnknownOperation(operation);
        }

        var route = decision.Route;
        if (change.PrimaryModel is null && change.FallbackModels is not null)
        {
            return GatewayError.InvalidRequest("A new fallback chain needs its primaryModel too.");
        }

        var primaryModel = change.PrimaryModel ?? route.PrimaryModel;
        var fallbackModels = change.PrimaryModel is null ? route.FallbackModels : change.FallbackModels ?? [];
        List<string> chain = [];
        foreach (var requested in fallbackModels.Prepend(primaryModel))
        {
            var model = string.IsNullOrWhiteSpace(requested) ? null : snapshot.FindModel(requested);
            if (model is null)
            {
                return GatewayError.InvalidRequest($"Unknown model '{requested}'. Known models: {string.Join(", ", snapshot.Models.Keys.Order(StringComparer.Ordinal))}.", "unknown_model");
            }

            if (model.Modality != route.Modality)
            {
                return GatewayError.InvalidRequest($"Model '{model.Id}' serves {model.Modality} calls; operation '{operation}' makes {route.Modality} calls.", "model_modality_mismatch");
            }

            if (chain.Contains(model.Id, StringComparer.OrdinalIgnoreCase))
            {
                return GatewayError.InvalidRequest($"Model '{model.Id}' appears twice in the chain.", "duplicate_model");
            }

            chain.Add(model.Id);
        }

        var updated = route with
        {
            PrimaryModel = chain[0],
            FallbackModels = chain.Skip(1).ToArray(),
            UnknownPricePolicy = change.UnknownPricePolicy ?? route.UnknownPricePolicy,
            Version = route.Version + 1,
            UpdatedAt = _time.GetUtcNow(),
            UpdatedBy = changedBy,
        };

        if (!await _store.SaveRouteAsync(updated, cancellationToken))
        {
            await ReloadAsync(cancellationToken);
            return GatewayError.Conflict($"Route '{operation}' was changed by someone else; reload it and try again.");
        }

        await ReloadAsync(cancellationToken);
        return updated;
    }
}
