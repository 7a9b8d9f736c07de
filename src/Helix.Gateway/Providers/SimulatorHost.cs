using Helix.Simulator;

namespace Helix.Gateway.Providers;

/// <summary>Runs the built-in simulator for the gateway's lifetime, on a loopback port.</summary>
/// <remarks>
/// Started as the first hosted service, so it listens before routes load and before any adapter is created; the
/// adapters read <see cref="BaseAddress"/> when they are first resolved.
/// </remarks>
internal sealed class SimulatorHost(int port) : IHostedService, IAsyncDisposable
{
    private SimulatorServer? _server;

    /// <summary>The running simulator.</summary>
    public SimulatorServer Server => _server ?? throw new InvalidOperationException("The simulator has not started yet.");

    /// <summary>The simulator's root address.</summary>
    public Uri BaseAddress => Server.BaseAddress;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _server = await SimulatorServer.StartAsync(new SimulatorOptions { Port = port }, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
