using Helix.Core.Providers;
using Helix.Core.Routing;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Conformance;

/// <summary>What every conformance suite shares: a fresh simulator, the adapter's endpoint on it, and the faults every adapter must map alike.</summary>
/// <remarks>A concrete suite names the simulated provider, the model, and builds the adapter under test with a given client.</remarks>
public abstract class ConformanceSuite : IAsyncLifetime
{
    private SimulatorServer? _server;

    protected SimulatorServer Server => _server ?? throw new InvalidOperationException("The simulator is not started.");

    protected SimulatorState State => Server.State;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The simulated provider (one of <see cref="SimulatorProviders"/>).</summary>
    protected abstract string SimulatedProvider { get; }

    /// <summary>The provider id the adapter reports.</summary>
    protected virtual string ProviderName => SimulatedProvider;

    /// <summary>The provider model called.</summary>
    protected abstract string ProviderModel { get; }

    /// <summary>The fault the simulator produces, and the class of error every adapter must report for it.</summary>
    public static TheoryData<SimulatorFault, ProviderErrorKind> Faults => new()
    {
        { SimulatorFault.RateLimited, ProviderErrorKind.RateLimited },
        { SimulatorFault.ServerError, ProviderErrorKind.ServerError },
        { SimulatorFault.Overloaded, ProviderErrorKind.ServerError },
        { SimulatorFault.Unauthorized, ProviderErrorKind.Unauthorized },
        { SimulatorFault.InsufficientQuota, ProviderErrorKind.QuotaExhausted },
        { SimulatorFault.MalformedJson, ProviderErrorKind.MalformedResponse },
    };

    public async ValueTask InitializeAsync() => _server = await SimulatorServer.StartAsync(cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The adapter's endpoint on the simulator.</summary>
    protected ProviderEndpoint Endpoint => new(Server.GetProviderBaseAddress(SimulatedProvider), ApiKey: null);

    protected ModelConfig Model => new()
    {
        Id = ModelConfig.IdOf(ProviderName, ProviderModel),
        Provider = ProviderName,
        ProviderModel = ProviderModel,
    };

    /// <summary>Makes every call to the model fail with <paramref name="fault"/>.</summary>
    protected void Fail(SimulatorFault fault) =>
        State.SetBehavior(SimulatedProvider, null, new SimulatorBehavior { Fault = fault, RetryAfterSeconds = 7 });

    /// <summary>A client of the shared handler with the given timeout.</summary>
    protected static HttpClient Client(TimeSpan? timeout = null) => new() { Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <summary>Checks what every mapped fault carries.</summary>
    protected static void AssertFault(ProviderError? error, SimulatorFault fault, ProviderErrorKind kind)
    {
        Assert.NotNull(error);
        Assert.Equal(kind, error.Kind);
        if (fault == SimulatorFault.RateLimited)
        {
            Assert.Equal(429, error.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        }
    }
}
