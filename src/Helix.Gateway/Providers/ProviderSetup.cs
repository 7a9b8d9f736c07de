using System.Net;
using Helix.Core.Hosting;
using Helix.Core.Providers;
using Helix.Gateway.Configuration;
using Helix.Providers.Anthropic;
using Helix.Providers.Deepgram;
using Helix.Providers.EdgeTts;
using Helix.Providers.Gemini;
using Helix.Providers.OpenAI;

namespace Helix.Gateway.Providers;

/// <summary>Decides where each provider is reached (its public API with a key, a configured URL, or the simulator) and registers its adapter.</summary>
internal static class ProviderSetup
{
    /// <summary>Every provider the gateway has an adapter for, of any kind.</summary>
    public static readonly string[] AllProviders = ["openai", "deepseek", "gemini", "anthropic", "deepgram", "edge-tts"];

    /// <summary>
    /// Whether the simulator runs: unless <c>Helix:Simulator:Enabled=false</c>, when some provider has neither a key
    /// nor a URL (it is then simulated, while the configured ones are real).
    /// </summary>
    public static bool SimulatorWanted(GatewayOptions options) =>
        options.Simulator.Enabled != false && AllProviders.Any(p => Resolve(options, p, simulatorRoot: null) is null);

    /// <summary>Where <paramref name="provider"/> is reached, or <see langword="null"/> when it is not configured.</summary>
    public static ProviderEndpoint? Resolve(GatewayOptions options, string provider, Uri? simulatorRoot)
    {
        options.Providers.TryGetValue(provider, out var settings);
        if (settings?.BaseUrl is { } baseUrl)
        {
            return new ProviderEndpoint(baseUrl, settings.ApiKey);
        }

        if (!string.IsNullOrEmpty(settings?.ApiKey))
        {
            return new ProviderEndpoint(ProviderCatalog.PublicBase(provider), settings.ApiKey);
        }

        return simulatorRoot is null ? null : new ProviderEndpoint(ProviderCatalog.OnSimulator(simulatorRoot, provider), null);
    }

    /// <summary>Registers the adapters of every configured provider (chat, embeddings, transcription, speech), sharing one connection pool.</summary>
    public static HelixBuilder AddConfiguredProviders(this HelixBuilder helix, GatewayOptions options, bool simulator)
    {
        // One pool for every adapter, connections kept open between calls (re-made every 2 minutes so DNS changes
        // are seen); no cookie jar (provider APIs set none worth keeping, and it would be shared by every caller);
        // HTTP/2 over TLS where the provider speaks it, with more connections once one's streams are all in use.
        var handler = new Http2UpgradeHandler(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            MaxConnectionsPerServer = 1024,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        });

        // Timeouts belong to the pipeline (per attempt and overall), not to HttpClient.
        HttpClient NewClient() => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

        // A sentinel root decides which providers the simulator serves; the real address is read when the adapter is made.
        var simulatorSentinel = simulator ? new Uri("http://127.0.0.1/") : null;
        foreach (var provider in AllProviders)
        {
            if (Resolve(options, provider, simulatorSentinel) is null)
            {
                continue;
            }

            ProviderEndpoint EndpointOf(IServiceProvider sp) =>
                Resolve(options, provider, simulator ? sp.GetRequiredService<SimulatorHost>().BaseAddress : null)!;

            switch (provider)
            {
                case "openai":
                    helix.AddChatProvider(sp => new OpenAICompatibleChatProvider(provider, NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    helix.AddEmbeddingsProvider(sp => new OpenAIEmbeddingsProvider(provider, NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    helix.AddTranscriptionProvider(sp => new OpenAITranscriptionProvider(provider, NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    helix.AddSpeechProvider(sp => new OpenAISpeechProvider(provider, NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    break;
                case "gemini":
                    helix.AddChatProvider(sp => new GeminiChatProvider(NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    helix.AddEmbeddingsProvider(sp => new GeminiEmbeddingsProvider(NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    break;
                case "anthropic":
                    helix.AddChatProvider(sp => new AnthropicChatProvider(NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    break;
                case "deepgram":
                    helix.AddTranscriptionProvider(sp => new DeepgramTranscriptionProvider(NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    break;
                case "edge-tts":
                    // Edge takes no key: its public service is used only when configured (a base URL), else the simulator's.
                    helix.AddSpeechProvider(sp => new EdgeTtsSpeechProvider(NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    break;
                default:
                    helix.AddChatProvider(sp => new OpenAICompatibleChatProvider(provider, NewClient(), EndpointOf(sp), sp.GetRequiredService<TimeProvider>()));
                    break;
            }
        }

        helix.Services.AddSingleton(handler);
        return helix;
    }
}
