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

    /// <summary>The largest output cap a route may set (<see cref="RouteConfig.MaxOutputTokens"/>).</summary>
    public const int MaxOutputTokensLimit = 1_000_000;

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

    /// <summary>Changes a route: its models, unknown-price policy or output cap; the change takes effect on the next call.</summary>
    /// <param name="operation">The operation whose route changes.</param>
    /// <param name="change">What changes; what it leaves <see langword="null"/> stays as it is (a new primary keeps the fallbacks, new fallbacks keep the primary).</param>
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
        if (change.MaxOutputTokens is { } cap && CheckCap(cap) is { } capError)
        {
            return capError;
        }

        var chain = BuildChain(snapshot, operation, change.PrimaryModel ?? route.PrimaryModel, change.FallbackModels ?? route.FallbackModels, route.Modality);
        if (!chain.IsSuccess)
        {
            return chain.Error;
        }

        var updated = route with
        {
            PrimaryModel = chain.Value[0],
            FallbackModels = chain.Value.Skip(1).ToArray(),
            UnknownPricePolicy = change.UnknownPricePolicy ?? route.UnknownPricePolicy,
            MaxOutputTokens = change.RemoveMaxOutputTokens ? null : change.MaxOutputTokens ?? route.MaxOutputTokens,
            Version = route.Version + 1,
            UpdatedAt = _time.GetUtcNow(),
            UpdatedBy = changedBy,
        };

        return await SaveAsync(updated, cancellationToken);
    }

    /// <summary>Creates an operation; a retired one is created again as the next version of its history.</summary>
    /// <param name="route">The operation, its models and policies.</param>
    /// <param name="createdBy">Who created it, for the history.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The new route, or the error that refused it: a bad name or model (400), an operation in service (409).</returns>
    public async Task<Result<RouteConfig>> CreateAsync(NewRoute route, string createdBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(createdBy);
        if (!OperationNames.IsValid(route.Operation))
        {
            return GatewayError.InvalidRequest($"'{route.Operation}' is not a valid operation name: use {OperationNames.Rule}.", "invalid_operation_name");
        }

        var snapshot = Current;
        if (snapshot.TryGetRoute(route.Operation, out _))
        {
            return GatewayError.Conflict($"Operation '{route.Operation}' exists; change it with PUT, or retire it first.");
        }

        if (route.MaxOutputTokens is { } cap && CheckCap(cap) is { } capError)
        {
            return capError;
        }

        var primary = string.IsNullOrWhiteSpace(route.PrimaryModel) ? null : snapshot.FindModel(route.PrimaryModel);
        if (primary is null)
        {
            return UnknownModel(snapshot, route.PrimaryModel);
        }

        var modality = route.Modality ?? primary.Modality;
        var chain = BuildChain(snapshot, route.Operation, route.PrimaryModel, route.FallbackModels ?? [], modality);
        if (!chain.IsSuccess)
        {
            return chain.Error;
        }

        // A retired operation's history stays: its new life continues the version numbers.
        var history = await _store.GetRouteHistoryAsync(route.Operation, cancellationToken);
        var created = new RouteConfig
        {
            Operation = route.Operation,
            PrimaryModel = chain.Value[0],
            FallbackModels = chain.Value.Skip(1).ToArray(),
            Modality = modality,
            UnknownPricePolicy = route.UnknownPricePolicy ?? UnknownPricePolicy.Flag,
            MaxOutputTokens = route.MaxOutputTokens,
            Version = history.Count == 0 ? 1 : history.Max(r => r.Version) + 1,
            UpdatedAt = _time.GetUtcNow(),
            UpdatedBy = createdBy,
        };

        return await SaveAsync(created, cancellationToken);
    }

    /// <summary>Retires an operation: from the next call it answers <c>unknown_operation</c>; its history stays.</summary>
    /// <param name="operation">The operation to retire.</param>
    /// <param name="retiredBy">Who retired it, for the history.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The retiring version of the route, or the error that refused it.</returns>
    public async Task<Result<RouteConfig>> RetireAsync(string operation, string retiredBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(retiredBy);
        if (!Current.TryGetRoute(operation, out var decision))
        {
            return GatewayError.UnknownOperation(operation);
        }

        var route = decision.Route;
        return await SaveAsync(route with
        {
            Retired = true,
            Version = route.Version + 1,
            UpdatedAt = _time.GetUtcNow(),
            UpdatedBy = retiredBy,
        }, cancellationToken);
    }

    private async Task<Result<RouteConfig>> SaveAsync(RouteConfig route, CancellationToken cancellationToken)
    {
        if (!await _store.SaveRouteAsync(route, cancellationToken))
        {
            await ReloadAsync(cancellationToken);
            return GatewayError.Conflict($"Route '{route.Operation}' was changed by someone else; reload it and try again.");
        }

        await ReloadAsync(cancellationToken);
        return route;
    }

    private static GatewayError? CheckCap(int cap) => cap is < 1 or > MaxOutputTokensLimit
        ? GatewayError.InvalidRequest($"maxOutputTokens must be a whole number from 1 to {MaxOutputTokensLimit}.", "invalid_max_output_tokens")
        : null;

    private static GatewayError UnknownModel(RoutingSnapshot snapshot, string? requested) =>
        GatewayError.InvalidRequest($"Unknown model '{requested}'. Known models: {string.Join(", ", snapshot.Models.Keys.Order(StringComparer.Ordinal))}.", "unknown_model");

    private static Result<List<string>> BuildChain(
        RoutingSnapshot snapshot, string operation, string primaryModel, IReadOnlyList<string> fallbackModels, Modality modality)
    {
        List<string> chain = [];
        foreach (var requested in fallbackModels.Prepend(primaryModel))
        {
            var model = string.IsNullOrWhiteSpace(requested) ? null : snapshot.FindModel(requested);
            if (model is null)
            {
                return UnknownModel(snapshot, requested);
            }

            if (model.Modality != modality)
            {
                return GatewayError.InvalidRequest($"Model '{model.Id}' serves {model.Modality} calls; operation '{operation}' makes {modality} calls.", "model_modality_mismatch");
            }

            if (chain.Contains(model.Id, StringComparer.OrdinalIgnoreCase))
            {
                return GatewayError.InvalidRequest($"Model '{model.Id}' appears twice in the chain; send the whole chain (primaryModel and fallbackModels) to reorder it.", "duplicate_model");
            }

            chain.Add(model.Id);
        }

        return chain;
    }
}
