using System.Collections.Frozen;

namespace Helix.Core.Providers;

/// <summary>The providers known to this process, by provider id, for each kind of call.</summary>
/// <remarks>Immutable after construction; thread-safe. One adapter may serve several kinds (OpenAI serves all four).</remarks>
public sealed class ProviderRegistry
{
    private readonly FrozenDictionary<string, IChatProvider> _chat;
    private readonly FrozenDictionary<string, IEmbeddingsProvider> _embeddings;
    private readonly FrozenDictionary<string, ITranscriptionProvider> _transcription;
    private readonly FrozenDictionary<string, ISpeechProvider> _speech;

    /// <summary>Creates a registry of chat providers only.</summary>
    public ProviderRegistry(IEnumerable<IChatProvider> chatProviders)
        : this(chatProviders, [], [], [])
    {
    }

    /// <summary>Creates a registry of every kind of provider.</summary>
    public ProviderRegistry(
        IEnumerable<IChatProvider> chatProviders,
        IEnumerable<IEmbeddingsProvider> embeddingsProviders,
        IEnumerable<ITranscriptionProvider> transcriptionProviders,
        IEnumerable<ISpeechProvider> speechProviders)
    {
        ArgumentNullException.ThrowIfNull(chatProviders);
        ArgumentNullException.ThrowIfNull(embeddingsProviders);
        ArgumentNullException.ThrowIfNull(transcriptionProviders);
        ArgumentNullException.ThrowIfNull(speechProviders);
        _chat = chatProviders.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _embeddings = embeddingsProviders.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _transcription = transcriptionProviders.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _speech = speechProviders.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The ids of the chat providers.</summary>
    public IEnumerable<string> ChatProviderNames => _chat.Keys;

    /// <summary>Finds the chat provider of <paramref name="provider"/>.</summary>
    public bool TryGetChat(string provider, out IChatProvider chatProvider) => _chat.TryGetValue(provider, out chatProvider!);

    /// <summary>Finds the embeddings provider of <paramref name="provider"/>.</summary>
    public bool TryGetEmbeddings(string provider, out IEmbeddingsProvider embeddingsProvider) =>
        _embeddings.TryGetValue(provider, out embeddingsProvider!);

    /// <summary>Finds the transcription provider of <paramref name="provider"/>.</summary>
    public bool TryGetTranscription(string provider, out ITranscriptionProvider transcriptionProvider) =>
        _transcription.TryGetValue(provider, out transcriptionProvider!);

    /// <summary>Finds the speech provider of <paramref name="provider"/>.</summary>
    public bool TryGetSpeech(string provider, out ISpeechProvider speechProvider) =>
        _speech.TryGetValue(provider, out speechProvider!);
}
