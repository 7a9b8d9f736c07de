using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Gateway.Hosting;

/// <summary>Finds the routes that cannot be served: every model of their chain lacks a provider for their kind of call.</summary>
internal static class RouteCoverage
{
    /// <summary>The routes of <paramref name="snapshot"/> none of whose models has a provider in <paramref name="providers"/>.</summary>
    public static IReadOnlyList<RouteDecision> Unserved(RoutingSnapshot snapshot, ProviderRegistry providers) =>
        [.. snapshot.Routes
            .Select(r => snapshot.TryGetRoute(r.Operation, out var decision) ? decision : null)
            .OfType<RouteDecision>()
            .Where(d => !d.Targets.Any(m => HasProvider(providers, d.Route.Modality, m.Provider)))];

    private static bool HasProvider(ProviderRegistry providers, Modality modality, string provider) => modality switch
    {
        Modality.Chat => providers.TryGetChat(provider, out _),
        Modality.Embeddings => providers.TryGetEmbeddings(provider, out _),
        Modality.Transcription => providers.TryGetTranscription(provider, out _),
        Modality.Speech => providers.TryGetSpeech(provider, out _),
        _ => false,
    };
}
