using Helix.Core.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Helix.Gateway.Tests;

/// <summary>
/// The <c>embeddings</c> seed operation (openai/text-embedding-3-small): created through the route store when the
/// database's migrations do not seed it yet, left as it is when they do.
/// </summary>
internal static class EmbeddingsRoute
{
    public static async Task EnsureAsync(GatewayFactory factory)
    {
        var routes = factory.Services.GetRequiredService<RouteTable>();
        if (routes.Current.TryGetRoute("embeddings", out _))
        {
            return;
        }

        var store = factory.Services.GetRequiredService<IRouteStore>();
        await store.SaveRouteAsync(new RouteConfig
        {
            Operation = "embeddings",
            PrimaryModel = "openai/text-embedding-3-small",
            Modality = Modality.Embeddings,
            UpdatedAt = TimeProvider.System.GetUtcNow(),
            UpdatedBy = "test",
        });
        await routes.ReloadAsync();
    }
}
