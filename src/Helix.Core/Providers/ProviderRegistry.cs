using System.Collections.Frozen;

namespace Helix.Core.Providers;

/// <summary>The chat providers known to this process, by provider id.</summary>
/// <remarks>Immutable after construction; thread-safe.</remarks>
public sealed class ProviderRegistry
{
    private readonly FrozenDictionary<string, IChatProvider> _chat;

    /// <summary>Creates a registry of <paramref name="chatProviders"/>.</summary>
    public ProviderRegistry(IEnumerable<IChatProvider> chatProviders)
    {
        ArgumentNullException.ThrowIfNull(chatProviders);
        _chat = chatProviders.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The ids of the chat providers.</summary>
    public IEnumerable<string> ChatProviderNames => _chat.Keys;

    /// <summary>Finds the chat provider of <paramref name="provider"/>.</summary>
    public bool TryGetChat(string provider, out IChatProvider chatProvider) => _chat.TryGetValue(provider, out chatProvider!);
}
