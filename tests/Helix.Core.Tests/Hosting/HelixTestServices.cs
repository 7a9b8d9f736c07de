using Helix.Core.Hosting;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;
using Helix.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helix.Core.Tests.Hosting;

/// <summary>Helix wired as an application wires it: <c>AddHelix</c> over in-memory stores and two fake providers.</summary>
/// <remarks>
/// The stores hold <see cref="TestModels"/> (so <c>chat</c> is served by <c>deepseek/deepseek-v4-flash</c>, falling back
/// to <c>gemini/gemini-2.5-flash</c>) and are priced from the built-in book. The clock is a fake that signals its timers.
/// Add registrations to <see cref="Services"/> before <see cref="Build"/>.
/// </remarks>
internal sealed class HelixTestServices : IAsyncDisposable
{
    private ServiceProvider? _provider;

    public HelixTestServices()
    {
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton<IRouteStore>(RouteStore);
        Services.AddSingleton<IOperationLogStore>(Log);
        Services.AddSingleton<IPriceStore>(Prices);
        Builder = Services.AddHelix()
            .AddChatProvider(_ => DeepSeek)
            .AddChatProvider(_ => Gemini);
    }

    public ServiceCollection Services { get; } = [];

    public HelixBuilder Builder { get; }

    public TimerWatchingTimeProvider Time { get; } = new(TestEntries.Epoch);

    public HookedRouteStore RouteStore { get; } = new(new InMemoryRouteStore());

    public InMemoryOperationLogStore Log { get; } = new();

    public SignallingPriceStore Prices { get; } = new(new InMemoryPriceStore());

    public FakeChatProvider DeepSeek { get; } = new("deepseek");

    public FakeChatProvider Gemini { get; } = new("gemini");

    /// <summary>Resolves the services; call once.</summary>
    public ServiceProvider Build() => _provider = Services.BuildServiceProvider();

    /// <summary>Builds the services and loads routes and prices, as the host's start does.</summary>
    public async Task<ServiceProvider> BuildInitializedAsync(CancellationToken cancellationToken = default)
    {
        var provider = Build();
        await provider.GetRequiredService<HelixInitializer>().InitializeAsync(cancellationToken);
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        Prices.Dispose();
        Time.Dispose();
    }
}
