using Helix.Core.Routing;

namespace Helix.Testing;

/// <summary>A small model catalog and the routes of every operation, mirroring the SQLite seed.</summary>
public static class TestModels
{
    /// <summary>The clock reading of the seeded routes.</summary>
    public static DateTimeOffset SeededAt { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The models the routes name, plus a cheap chat model and an embeddings model to change routes to.</summary>
    public static IReadOnlyList<ModelConfig> Catalog { get; } =
    [
        Model("deepseek", "deepseek-v4-flash", Modality.Chat, 393216),
        Model("deepseek", "deepseek-v4-pro", Modality.Chat, 393216),
        Model("gemini", "gemini-2.5-flash", Modality.Chat, 65536),
        Model("gemini", "gemini-2.5-flash-lite", Modality.Chat, 65536),
        Model("gemini", "gemini-2.5-pro", Modality.Chat, 65536),
        Model("openai", "gpt-4.1", Modality.Chat, 32768),
        Model("openai", "gpt-4o-mini", Modality.Chat, 16384),
        Model("openai", "text-embedding-3-small", Modality.Embeddings, 0),
        Model("gemini", "gemini-embedding-001", Modality.Embeddings, 0),
        Model("deepgram", "nova-3", Modality.Transcription, 0),
        Model("openai", "gpt-4o-mini-transcribe", Modality.Transcription, 2000),
        Model("edge-tts", "en-US-AriaNeural", Modality.Speech, 0),
        Model("openai", "tts-1", Modality.Speech, 0),
    ];

    /// <summary>Every operation's route at version 1, as seeded.</summary>
    public static IReadOnlyList<RouteConfig> Routes { get; } =
    [
        Route("chat", "deepseek/deepseek-v4-flash", "gemini/gemini-2.5-flash"),
        Route("agent", "deepseek/deepseek-v4-pro", "gemini/gemini-2.5-pro"),
        Route("memory-synthesis", "gemini/gemini-2.5-flash", "deepseek/deepseek-v4-flash"),
        Route("sentiment-analysis", "gemini/gemini-2.5-flash-lite", "deepseek/deepseek-v4-flash"),
        Route("email-drafting", "gemini/gemini-2.5-flash", "deepseek/deepseek-v4-flash"),
        Route("video-understanding", "gemini/gemini-2.5-pro", "openai/gpt-4.1"),
        Route("audio-transcription", "deepgram/nova-3", "openai/gpt-4o-mini-transcribe", Modality.Transcription),
        Route("text-to-speech", "edge-tts/en-US-AriaNeural", "openai/tts-1", Modality.Speech),
        Route("embeddings", "openai/text-embedding-3-small", "gemini/gemini-embedding-001", Modality.Embeddings),
    ];

    /// <summary>A snapshot of <see cref="Routes"/> over <see cref="Catalog"/>.</summary>
    public static RoutingSnapshot Snapshot(long revision = 1) => new(revision, Routes, Catalog);

    private static ModelConfig Model(string provider, string providerModel, Modality modality, int defaultMaxOutputTokens) => new()
    {
        Id = ModelConfig.IdOf(provider, providerModel),
        Provider = provider,
        ProviderModel = providerModel,
        Modality = modality,
        DefaultMaxOutputTokens = defaultMaxOutputTokens,
    };

    private static RouteConfig Route(string operation, string primary, string fallback, Modality modality = Modality.Chat) => new()
    {
        Operation = operation,
        PrimaryModel = primary,
        FallbackModels = [fallback],
        Modality = modality,
        Enabled = true,
        UnknownPricePolicy = UnknownPricePolicy.Flag,
        Version = 1,
        UpdatedAt = SeededAt,
        UpdatedBy = "seed",
    };
}
