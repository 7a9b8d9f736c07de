using Helix.Core.Routing;

namespace Helix.Testing;

/// <summary>An <see cref="IRouteStore"/> in memory, seeded with <see cref="TestModels"/> unless told otherwise.</summary>
/// <remarks>
/// Thread-safe. Keeps every version of every route, like the real stores (a retiring version hides the operation);
/// operations compare case-insensitively.
/// </remarks>
public sealed class InMemoryRouteStore : IRouteStore
{
    private readonly Lock _lock = new();
    private readonly List<ModelConfig> _models;
    private readonly Dictionary<string, List<RouteConfig>> _versions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a store holding <paramref name="models"/> and <paramref name="routes"/>.</summary>
    /// <param name="models">The catalog; <see cref="TestModels.Catalog"/> when <see langword="null"/>.</param>
    /// <param name="routes">The routes (any versions); <see cref="TestModels.Routes"/> when <see langword="null"/>.</param>
    public InMemoryRouteStore(IEnumerable<ModelConfig>? models = null, IEnumerable<RouteConfig>? routes = null)
    {
        _models = [.. models ?? TestModels.Catalog];
        foreach (var route in routes ?? TestModels.Routes)
        {
            if (!TryAdd(route))
            {
                throw new ArgumentException($"Route '{route.Operation}' version {route.Version} is given twice.", nameof(routes));
            }
        }
    }

    /// <summary>Called before each save; a throwing delegate makes the save fail, as a broken database would.</summary>
    public Func<RouteConfig, CancellationToken, Task>? OnSave { get; set; }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ModelConfig>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ModelConfig>>([.. _models.OrderBy(m => m.Id, StringComparer.OrdinalIgnoreCase)]);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RouteConfig>> GetRoutesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RouteConfig>>(
                [.. _versions.Values.Select(v => v.MaxBy(r => r.Version)!).Where(r => !r.Retired).OrderBy(r => r.Operation, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> SaveRouteAsync(RouteConfig route, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentException.ThrowIfNullOrWhiteSpace(route.Operation, nameof(route));
        ArgumentException.ThrowIfNullOrWhiteSpace(route.PrimaryModel, nameof(route));
        ArgumentOutOfRangeException.ThrowIfLessThan(route.Version, 1L, nameof(route));
        if (OnSave is { } onSave)
        {
            await onSave(route, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return TryAdd(route);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RouteConfig>> GetRouteHistoryAsync(string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RouteConfig>>(
                _versions.TryGetValue(operation, out var versions) ? [.. versions.OrderByDescending(r => r.Version)] : []);
        }
    }

    /// <summary>Adds a model to the catalog (the SQLite catalog changes by migration; tests change it here).</summary>
    public void AddModel(ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_lock)
        {
            _models.RemoveAll(m => string.Equals(m.Id, model.Id, StringComparison.OrdinalIgnoreCase));
            _models.Add(model);
        }
    }

    private bool TryAdd(RouteConfig route)
    {
        if (!_versions.TryGetValue(route.Operation, out var versions))
        {
            _versions[route.Operation] = versions = [];
        }

        if (versions.Exists(r => r.Version == route.Version))
        {
            return false;
        }

        versions.Add(route with { FallbackModels = [.. route.FallbackModels] });
        return true;
    }
}
