using Helix.Gateway.Configuration;

namespace Helix.Gateway.Providers;

/// <summary>Where each provider the gateway has an adapter for is reached: its real API, the simulator, or nowhere.</summary>
/// <param name="Real">Providers with a key or a URL, and where they are reached.</param>
/// <param name="Simulated">Providers served by the built-in simulator.</param>
/// <param name="NotConfigured">Providers without key or URL while the simulator is off: their models cannot be called.</param>
internal sealed record ProviderPlacement(
    IReadOnlyList<(string Provider, Uri Endpoint)> Real,
    IReadOnlyList<string> Simulated,
    IReadOnlyList<string> NotConfigured)
{
    /// <summary>The placement <paramref name="options"/> leads to.</summary>
    public static ProviderPlacement Of(GatewayOptions options)
    {
        var simulator = ProviderSetup.SimulatorWanted(options);
        List<(string, Uri)> real = [];
        List<string> simulated = [];
        List<string> notConfigured = [];
        foreach (var provider in ProviderSetup.AllProviders)
        {
            if (ProviderSetup.Resolve(options, provider, simulatorRoot: null) is { } endpoint)
            {
                real.Add((provider, endpoint.BaseUrl));
            }
            else if (simulator)
            {
                simulated.Add(provider);
            }
            else
            {
                notConfigured.Add(provider);
            }
        }

        return new ProviderPlacement(real, simulated, notConfigured);
    }
}
