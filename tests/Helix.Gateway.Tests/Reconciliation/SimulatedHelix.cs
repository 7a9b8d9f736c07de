using Helix.Core.ChatClients;
using Helix.Core.Hosting;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;
using Helix.Providers.Gemini;
using Helix.Providers.OpenAI;
using Helix.Simulator;
using Helix.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Helix.Gateway.Tests.Reconciliation;

/// <summary>Helix in-process (<c>AddHelix</c> over in-memory stores) and the simulator its adapters call, both on one fake clock.</summary>
/// <remarks>
/// The pipeline stamps its log rows and the simulator its ledger with the same <see cref="FakeTimeProvider"/>, which
/// moves only between calls: a call lands on the same UTC day in our log and on the provider's bill. The OpenAI,
/// DeepSeek and Gemini adapters are the real ones, over loopback HTTP. Owns the simulator, the services and the
/// HTTP client; dispose it.
/// </remarks>
internal sealed class SimulatedHelix : IAsyncDisposable
{
    public const string Principal = "month-of-traffic";

    private readonly ServiceProvider _services;

    private SimulatedHelix(FakeTimeProvider time, SimulatorServer simulator, ServiceProvider services, HttpClient http, InMemoryOperationLogStore log)
    {
        Time = time;
        Simulator = simulator;
        _services = services;
        Http = http;
        Log = log;
    }

    /// <summary>The chat models the routes name: two OpenAI chat models and a reasoning one, two Gemini models, DeepSeek.</summary>
    public static IReadOnlyList<ModelConfig> Catalog { get; } =
    [
        Model("openai", "gpt-4o-mini"),
        Model("openai", "gpt-4.1-mini"),
        Model("openai", "o4-mini"),
        Model("gemini", "gemini-2.5-flash"),
        Model("gemini", "gemini-2.5-flash-lite"),
        Model("deepseek", "deepseek-v4-flash"),
    ];

    /// <summary>One model per operation and no fallback, so that each operation's traffic reaches exactly one model.</summary>
    public static IReadOnlyList<RouteConfig> Routes { get; } =
    [
        Route("chat", "openai/gpt-4o-mini"),
        Route("summarise", "openai/gpt-4.1-mini"),
        Route("agent", "openai/o4-mini"),
        Route("memory-synthesis", "gemini/gemini-2.5-flash"),
        Route("sentiment-analysis", "gemini/gemini-2.5-flash-lite"),
        Route("email-drafting", "deepseek/deepseek-v4-flash"),
    ];

    public FakeTimeProvider Time { get; }

    public SimulatorServer Simulator { get; }

    /// <summary>The operation log every call is written to.</summary>
    public InMemoryOperationLogStore Log { get; }

    /// <summary>A client for the simulator's Anthropic and Deepgram routes, which Helix has no adapter for.</summary>
    public HttpClient Http { get; }

    public OperationPipeline Pipeline => _services.GetRequiredService<OperationPipeline>();

    public CostEngine Costs => _services.GetRequiredService<CostEngine>();

    /// <summary>The group-commit writer the pipeline logs through.</summary>
    public OperationLogWriter LogWriter => _services.GetRequiredService<OperationLogWriter>();

    /// <summary>Starts the simulator and Helix with the clock at <paramref name="start"/>, routes and prices loaded.</summary>
    public static async Task<SimulatedHelix> StartAsync(DateTimeOffset start, CancellationToken cancellationToken)
    {
        var time = new FakeTimeProvider(start);
        var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { TimeProvider = time }, cancellationToken);
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var log = new InMemoryOperationLogStore();

        var services = new ServiceCollection();
        services.AddLogging();

        // Registered before AddHelix, whose TryAdd then keeps it: the pipeline and the simulator share one clock.
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IRouteStore>(new InMemoryRouteStore(Catalog, Routes));
        services.AddSingleton<IOperationLogStore>(log);
        services.AddSingleton<IPriceStore>(new InMemoryPriceStore(log, time));
        services.AddHelix()
            .AddChatProvider(_ => new OpenAICompatibleChatProvider(
                "openai", http, new ProviderEndpoint(simulator.GetProviderBaseAddress(SimulatorProviders.OpenAI), "sk-simulated"), time))
            .AddChatProvider(_ => new OpenAICompatibleChatProvider(
                "deepseek", http, new ProviderEndpoint(simulator.GetProviderBaseAddress(SimulatorProviders.DeepSeek), "sk-simulated"), time))
            .AddChatProvider(_ => new GeminiChatProvider(
                http, new ProviderEndpoint(simulator.GetProviderBaseAddress(SimulatorProviders.Gemini), "simulated-key"), time));
        var provider = services.BuildServiceProvider();

        var helix = new SimulatedHelix(time, simulator, provider, http, log);
        try
        {
            await provider.GetRequiredService<HelixInitializer>().InitializeAsync(cancellationToken);
            return helix;
        }
        catch
        {
            await helix.DisposeAsync();
            throw;
        }
    }

    /// <summary>An <see cref="IChatClient"/> whose every call goes through Helix as <paramref name="operation"/>.</summary>
    public IChatClient ChatClient(string operation) => _services.GetHelixChatClient(operation, Principal);

    /// <summary>Makes <paramref name="entry"/> our price of its model from now on, as an admin override would.</summary>
    public void PublishPrice(PriceEntry entry) => Costs.Publish(Costs.Book.WithOverrides([entry]));

    public async ValueTask DisposeAsync()
    {
        // The services first: disposing the log writer drains every queued row.
        await _services.DisposeAsync();
        Http.Dispose();
        await Simulator.DisposeAsync();
    }

    private static ModelConfig Model(string provider, string providerModel) => new()
    {
        Id = ModelConfig.IdOf(provider, providerModel),
        Provider = provider,
        ProviderModel = providerModel,
        Modality = Modality.Chat,
        DefaultMaxOutputTokens = 8192,
    };

    private static RouteConfig Route(string operation, string model) => new()
    {
        Operation = operation,
        PrimaryModel = model,
        FallbackModels = [],
        Enabled = true,
        UnknownPricePolicy = UnknownPricePolicy.Flag,
        Version = 1,
        UpdatedAt = TestModels.SeededAt,
        UpdatedBy = "seed",
    };
}
