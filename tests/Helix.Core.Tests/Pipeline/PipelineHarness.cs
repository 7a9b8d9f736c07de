using System.Text.Json.Nodes;
using Helix.Core.Alerts;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Helix.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Helix.Core.Tests.Pipeline;

/// <summary>A pipeline over two fake providers, a fake clock, a recording log store and a small priced catalog.</summary>
/// <remarks>
/// Catalog: <c>alpha/a-1</c> ($1 in, $4 out per 1M; batch ×0.5; priority $2/$8), <c>alpha/a-1-mini</c> ($0.5/$1, only
/// priced, for reported-model tests), <c>alpha/a-x</c> (no price), <c>beta/b-1</c> ($2/$8), <c>gamma/g-1</c> (priced, but
/// no gamma provider is registered) and <c>alpha/e-1</c> (an embeddings model). The log store is the shared
/// in-memory one; its <c>OnAppend</c> hook holds or fails commits.
/// Backoff is zero so retries never wait on the fake clock unless a test asks for a retry-after.
/// </remarks>
internal sealed class PipelineHarness : IAsyncDisposable
{
    public const string PriceSource = "https://prices.example/alpha";
    public static readonly DateOnly PriceDate = new(2026, 1, 15);

    public static readonly ModelConfig A1 = new() { Id = "alpha/a-1", Provider = "alpha", ProviderModel = "a-1" };
    public static readonly ModelConfig AUnpriced = new() { Id = "alpha/a-x", Provider = "alpha", ProviderModel = "a-x" };
    public static readonly ModelConfig B1 = new() { Id = "beta/b-1", Provider = "beta", ProviderModel = "b-1" };
    public static readonly ModelConfig G1 = new() { Id = "gamma/g-1", Provider = "gamma", ProviderModel = "g-1" };
    public static readonly ModelConfig E1 = new() { Id = "alpha/e-1", Provider = "alpha", ProviderModel = "e-1", Modality = Modality.Embeddings };
    public static readonly ModelConfig BE1 = new() { Id = "beta/be-1", Provider = "beta", ProviderModel = "be-1", Modality = Modality.Embeddings };
    public static readonly ModelConfig T1 = new() { Id = "alpha/t-1", Provider = "alpha", ProviderModel = "t-1", Modality = Modality.Transcription };
    public static readonly ModelConfig BT1 = new() { Id = "beta/bt-1", Provider = "beta", ProviderModel = "bt-1", Modality = Modality.Transcription };
    public static readonly ModelConfig S1 = new() { Id = "alpha/s-1", Provider = "alpha", ProviderModel = "s-1", Modality = Modality.Speech };
    public static readonly ModelConfig BS1 = new() { Id = "beta/bs-1", Provider = "beta", ProviderModel = "bs-1", Modality = Modality.Speech };

    private PipelineHarness(RouteTable routes, ResilienceOptions resilience, FakeTimeProvider time)
    {
        Time = time;
        Resilience = resilience;
        Routes = routes;
        Log = new OperationLogWriter(Store, NullLogger<OperationLogWriter>.Instance);
        Circuits = new CircuitBreakerRegistry(resilience, time);
        Costs = new CostEngine(new PriceBook(Prices()));
        Providers = new ProviderRegistry(
            [Alpha, Beta], [AlphaEmbeddings, BetaEmbeddings], [AlphaTranscription, BetaTranscription], [AlphaSpeech, BetaSpeech]);
        Pipeline = new OperationPipeline(
            routes, Providers, Costs, Log, Circuits, resilience, Alerts, time,
            NullLogger<OperationPipeline>.Instance);
    }

    public FakeTimeProvider Time { get; }

    public ResilienceOptions Resilience { get; }

    public RouteTable Routes { get; }

    public FakeChatProvider Alpha { get; } = new("alpha");

    public FakeChatProvider Beta { get; } = new("beta");

    public FakeEmbeddingsProvider AlphaEmbeddings { get; } = new("alpha");

    public FakeEmbeddingsProvider BetaEmbeddings { get; } = new("beta");

    public FakeTranscriptionProvider AlphaTranscription { get; } = new("alpha");

    public FakeTranscriptionProvider BetaTranscription { get; } = new("beta");

    public FakeSpeechProvider AlphaSpeech { get; } = new("alpha");

    public FakeSpeechProvider BetaSpeech { get; } = new("beta");

    public ProviderRegistry Providers { get; }

    public InMemoryOperationLogStore Store { get; } = new();

    public OperationLogWriter Log { get; }

    public CircuitBreakerRegistry Circuits { get; }

    public CostEngine Costs { get; }

    public LoggingAlertSink Alerts { get; } = new(NullLogger<LoggingAlertSink>.Instance);

    public OperationPipeline Pipeline { get; }

    /// <summary>A harness serving <paramref name="routes"/> (by default: <c>chat</c> = a-1, falling back to b-1).</summary>
    public static async Task<PipelineHarness> CreateAsync(ResilienceOptions? resilience = null, params RouteConfig[] routes)
    {
        resilience ??= new ResilienceOptions();
        resilience.BaseBackoff = TimeSpan.Zero;
        var time = new FakeTimeProvider(TestEntries.Epoch);
        if (routes.Length == 0)
        {
            routes = [Route("chat", A1.Id, B1.Id)];
        }

        var table = new RouteTable(new InMemoryRouteStore([A1, AUnpriced, B1, G1, E1, BE1, T1, BT1, S1, BS1], routes), time);
        await table.ReloadAsync();
        return new PipelineHarness(table, resilience, time);
    }

    public static RouteConfig Route(string operation, string primary, params string[] fallbacks) =>
        new() { Operation = operation, PrimaryModel = primary, FallbackModels = fallbacks };

    public static OperationRequest Request(string operation = "chat", string requestId = "req-1") =>
        new() { Operation = operation, RequestId = requestId, Principal = Helix.Core.Principals.Principal.Application("app:billing"), User = "user-42" };

    public static JsonObject Body(string text = "Summarise the quarter in one line.", int? maxTokens = 256, string? serviceTier = null)
    {
        var body = new JsonObject
        {
            ["model"] = "op:chat",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }),
        };
        if (maxTokens is { } cap)
        {
            body["max_tokens"] = cap;
        }

        if (serviceTier is not null)
        {
            body["service_tier"] = serviceTier;
        }

        return body;
    }

    public static ProviderError ServerError(TimeSpan? retryAfter = null) =>
        new(ProviderErrorKind.ServerError, "upstream overloaded", 503, retryAfter);

    public static ProviderError RateLimited(TimeSpan retryAfter) =>
        new(ProviderErrorKind.RateLimited, "slow down", 429, retryAfter);

    /// <summary>The cost of <paramref name="inputTokens"/> and <paramref name="outputTokens"/> on a-1 at base rates.</summary>
    public static decimal A1Cost(long inputTokens, long outputTokens) => (inputTokens * 1m + outputTokens * 4m) / 1_000_000m;

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        Routes.Dispose();
    }

    private static IEnumerable<PriceEntry> Prices()
    {
        yield return Priced("alpha", "e-1", new PriceRates { Input = 0.02m });
        yield return Priced("beta", "be-1", new PriceRates { Input = 0.13m });
        yield return Priced("alpha", "t-1", new PriceRates { AudioPerMinute = 0.006m });
        yield return Priced("beta", "bt-1", new PriceRates { AudioPerMinute = 0.0043m });
        yield return Priced("alpha", "s-1", new PriceRates { CharactersPerMillion = 15m });
        yield return Priced("beta", "bs-1", new PriceRates { CharactersPerMillion = 0m, AudioPerMinute = 0m });
        yield return new PriceEntry
        {
            Provider = "alpha",
            Model = "a-1",
            Rates = new PriceRates { Input = 1m, Output = 4m },
            ServiceTiers = new Dictionary<string, ServiceTierPrice>(StringComparer.OrdinalIgnoreCase)
            {
                ["batch"] = new(null, 0.5m),
                ["priority"] = new(new PriceRates { Input = 2m, Output = 8m }, null),
            },
            Source = PriceSource,
            SourceDate = PriceDate,
        };
        yield return new PriceEntry
        {
            Provider = "alpha",
            Model = "a-1-mini",
            Rates = new PriceRates { Input = 0.5m, Output = 1m },
            Source = "https://prices.example/alpha-mini",
            SourceDate = new DateOnly(2026, 2, 1),
        };
        yield return new PriceEntry
        {
            Provider = "beta",
            Model = "b-1",
            Rates = new PriceRates { Input = 2m, Output = 8m },
            Source = "https://prices.example/beta",
            SourceDate = PriceDate,
        };
        yield return new PriceEntry
        {
            Provider = "gamma",
            Model = "g-1",
            Rates = new PriceRates { Input = 1m, Output = 1m },
            Source = "https://prices.example/gamma",
            SourceDate = PriceDate,
        };
    }

    private static PriceEntry Priced(string provider, string model, PriceRates rates) => new()
    {
        Provider = provider,
        Model = model,
        Rates = rates,
        Source = $"https://prices.example/{provider}",
        SourceDate = PriceDate,
    };
}
