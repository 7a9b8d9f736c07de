namespace Helix.Core.Routing;

/// <summary>Where routes and the model catalog are kept.</summary>
/// <remarks>Implementations are thread-safe. Every change of a route keeps its previous version in the history.</remarks>
public interface IRouteStore
{
    /// <summary>The model catalog.</summary>
    Task<IReadOnlyList<ModelConfig>> GetModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every route at its latest version, except those whose latest version retires them.</summary>
    Task<IReadOnlyList<RouteConfig>> GetRoutesAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves a new version of a route.</summary>
    /// <param name="route">The route; its <see cref="RouteConfig.Version"/> is the version it replaces plus one.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns><see langword="false"/> when another change saved that version first.</returns>
    Task<bool> SaveRouteAsync(RouteConfig route, CancellationToken cancellationToken = default);

    /// <summary>Every version of a route, newest first, retirements included.</summary>
    Task<IReadOnlyList<RouteConfig>> GetRouteHistoryAsync(string operation, CancellationToken cancellationToken = default);
}
