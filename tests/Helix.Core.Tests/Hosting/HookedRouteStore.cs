using Helix.Core.Routing;
using Helix.Testing;

namespace Helix.Core.Tests.Hosting;

/// <summary>An <see cref="InMemoryRouteStore"/> whose reads can be made to fail, as a broken database would.</summary>
/// <remarks>Thread-safe as long as <see cref="OnRead"/> is.</remarks>
internal sealed class HookedRouteStore(InMemoryRouteStore inner) : IRouteStore
{
    /// <summary>The store reads and writes go to; change routes here to change them "straight in the database".</summary>
    public InMemoryRouteStore Inner { get; } = inner;

    /// <summary>Runs before every read of the catalog; throw to fail the read.</summary>
    public Func<CancellationToken, Task>? OnRead { get; set; }

    public async Task<IReadOnlyList<ModelConfig>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        if (OnRead is { } onRead)
        {
            await onRead(cancellationToken);
        }

        return await Inner.GetModelsAsync(cancellationToken);
    }

    public Task<IReadOnlyList<RouteConfig>> GetRoutesAsync(CancellationToken cancellationToken = default) =>
        Inner.GetRoutesAsync(cancellationToken);

    public Task<bool> SaveRouteAsync(RouteConfig route, CancellationToken cancellationToken = default) =>
        Inner.SaveRouteAsync(route, cancellationToken);

    public Task<IReadOnlyList<RouteConfig>> GetRouteHistoryAsync(string operation, CancellationToken cancellationToken = default) =>
        Inner.GetRouteHistoryAsync(operation, cancellationToken);
}
