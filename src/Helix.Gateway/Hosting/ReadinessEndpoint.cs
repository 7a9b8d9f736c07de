using Helix.Core.Providers;
using Helix.Core.Routing;
using Helix.Gateway.Providers;

namespace Helix.Gateway.Hosting;

/// <summary>
/// <c>GET /readyz</c>: which providers are real, simulated or missing, and which routes no provider can serve.
/// </summary>
/// <remarks>
/// Answers once routes and prices are loaded (the readiness middleware holds requests until then). A route without
/// a provider makes the status <c>degraded</c>, not a failure: the other operations still serve, and taking the
/// gateway out of a load balancer for one unserved route would fail them all.
/// </remarks>
internal static class ReadinessEndpoint
{
    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/readyz", Handle)
            .WithTags("Health")
            .WithSummary("Readiness: providers real or simulated, and routes whose every model lacks a provider.")
            .Produces<Readiness>();
        return endpoints;
    }

    private static IResult Handle(ProviderPlacement placement, RouteTable routes, ProviderRegistry providers, Audit.ChangeRecorder changes)
    {
        var unserved = RouteCoverage.Unserved(routes.Current, providers)
            .Select(d => new UnservedRoute(d.Route.Operation, [.. d.Targets.Select(m => m.Id)]))
            .ToArray();
        var history = changes.Failure;
        return Results.Json(new Readiness(
            unserved.Length == 0 && history is null ? "ready" : "degraded",
            new ProviderList([.. placement.Real.Select(r => r.Provider)], placement.Simulated, placement.NotConfigured),
            unserved,
            history is null ? "ok" : $"failing: the last admin change was made but not recorded ({history})"));
    }

    // ChangeHistory: "ok", or "failing: …" when the last admin change could not be appended to the change history.
    internal sealed record Readiness(string Status, ProviderList Providers, IReadOnlyList<UnservedRoute> RoutesWithoutProvider, string ChangeHistory);

    internal sealed record ProviderList(IReadOnlyList<string> Real, IReadOnlyList<string> Simulated, IReadOnlyList<string> NotConfigured);

    internal sealed record UnservedRoute(string Operation, IReadOnlyList<string> Models);
}
