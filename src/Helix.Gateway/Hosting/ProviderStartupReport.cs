using Helix.Core.Providers;
using Helix.Core.Routing;
using Helix.Gateway.Providers;

namespace Helix.Gateway.Hosting;

/// <summary>
/// Says at start-up which providers are real and which simulated (and the simulator's loopback address), and warns
/// about routes that no provider can serve.
/// </summary>
/// <remarks>
/// Registered after the Helix services, so routes are loaded when it starts. The provider registry is resolved then,
/// not at construction: the host builds every hosted service before starting any, and the adapters read the
/// simulator's address when they are made. Keys are never logged.
/// </remarks>
internal sealed partial class ProviderStartupReport(
    ProviderPlacement placement, RouteTable routes, IServiceProvider services, ILogger<ProviderStartupReport> logger,
    SimulatorHost? simulator = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var providers = services.GetRequiredService<ProviderRegistry>();
        foreach (var (provider, endpoint) in placement.Real)
        {
            LogReal(logger, provider, $"{endpoint.Scheme}://{endpoint.Authority}{endpoint.AbsolutePath}");
        }

        if (placement.Simulated.Count > 0 && simulator is not null)
        {
            LogSimulated(logger, string.Join(", ", placement.Simulated), simulator.BaseAddress);
        }

        if (placement.NotConfigured.Count > 0)
        {
            LogNotConfigured(logger, string.Join(", ", placement.NotConfigured));
        }

        var unserved = RouteCoverage.Unserved(routes.Current, providers);
        if (unserved.Count > 0)
        {
            LogUnserved(logger, string.Join("; ", unserved.Select(d => $"{d.Route.Operation} ({string.Join(", ", d.Targets.Select(m => m.Id))})")));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider {Provider} is real: {Endpoint}")]
    private static partial void LogReal(ILogger logger, string provider, string endpoint);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Providers simulated (no key or URL configured): {Providers}; the built-in simulator listens on {SimulatorAddress} (loopback)")]
    private static partial void LogSimulated(ILogger logger, string providers, Uri simulatorAddress);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Providers not configured (no key or URL, and Helix:Simulator:Enabled=false): {Providers}; their models cannot be called")]
    private static partial void LogNotConfigured(ILogger logger, string providers);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Routes no provider can serve (every model lacks one): {Routes}; their calls fail until one is configured (GET /readyz lists them)")]
    private static partial void LogUnserved(ILogger logger, string routes);
}
