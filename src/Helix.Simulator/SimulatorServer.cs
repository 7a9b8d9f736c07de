using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Helix.Simulator;

/// <summary>A simulator running on its own Kestrel server on the loopback interface.</summary>
/// <remarks>
/// Owns its server: dispose it (or call <see cref="StopAsync"/>) to release the port. <see cref="State"/> can be
/// changed while calls run. A provider's base URL is <see cref="BaseAddress"/> plus its prefix; see
/// <see cref="GetProviderBaseAddress"/>.
/// </remarks>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    private SimulatorServer(WebApplication app, SimulatorState state, Uri baseAddress)
    {
        _app = app;
        State = state;
        BaseAddress = baseAddress;
    }

    /// <summary>The root of the simulator, such as <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The behaviours and the ledger.</summary>
    public SimulatorState State { get; }

    /// <summary>Starts a simulator on 127.0.0.1.</summary>
    /// <param name="options">The port (0 picks a free one), clock and audio assumptions; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The port is not between 0 and 65535.</exception>
    public static async Task<SimulatorServer> StartAsync(SimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatorOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options.Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort, nameof(options.Port));
        var state = new SimulatorState(options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = null;
        });

        // A call hanging on purpose (SimulatorFault.Timeout) must not hold a stop for long.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var app = builder.Build();
        app.UseWebSockets();
        app.MapSimulator(state);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorServer(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>The base URL a client of <paramref name="provider"/> is given, as its SDK expects it.</summary>
    /// <param name="provider">One of <see cref="SimulatorProviders"/>.</param>
    /// <returns><c>openai/v1/</c>, <c>deepseek/</c>, <c>gemini/v1beta/</c>, <c>anthropic/</c>, <c>deepgram/</c> or <c>edge-tts/</c> under <see cref="BaseAddress"/>.</returns>
    /// <exception cref="ArgumentException">The provider is not simulated.</exception>
    public Uri GetProviderBaseAddress(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var prefix = provider.ToLowerInvariant() switch
        {
            SimulatorProviders.OpenAI => "openai/v1/",
            SimulatorProviders.DeepSeek => "deepseek/",
            SimulatorProviders.Gemini => "gemini/v1beta/",
            SimulatorProviders.Anthropic => "anthropic/",
            SimulatorProviders.Deepgram => "deepgram/",
            SimulatorProviders.EdgeTts => "edge-tts/",
            _ => throw new ArgumentException($"The simulator does not simulate '{provider}'.", nameof(provider)),
        };
        return new Uri(BaseAddress, prefix);
    }

    /// <summary>Stops the server; calls still hanging are aborted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    /// <summary>Stops the server and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
