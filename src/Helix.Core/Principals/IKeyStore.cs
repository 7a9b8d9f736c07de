namespace Helix.Core.Principals;

/// <summary>Where API keys are kept: hashed, never the key itself; never deleted, only revoked.</summary>
/// <remarks>Implementations are thread-safe. The request path never calls them: <see cref="KeyDirectory"/> serves keys from memory.</remarks>
public interface IKeyStore
{
    /// <summary>Stores a new key.</summary>
    /// <exception cref="InvalidOperationException">A key with the same id or hash exists.</exception>
    Task CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    /// <summary>Every key, revoked ones too, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the name, role, operations and rate limit of the key <paramref name="id"/>, in one write; a revoked key is left as it is.</summary>
    /// <returns>
    /// The key as it was before and after (the same record twice when it is revoked), or <see langword="null"/> when no
    /// key has that id.
    /// </returns>
    Task<(ApiKeyRecord Before, ApiKeyRecord After)?> UpdateAsync(string id, ApiKeyEdit edit, CancellationToken cancellationToken = default);

    /// <summary>Revokes the key <paramref name="id"/> at <paramref name="at"/>; a key revoked already keeps its first revocation time.</summary>
    /// <returns>The key as it was before and after, or <see langword="null"/> when no key has that id.</returns>
    Task<(ApiKeyRecord Before, ApiKeyRecord After)?> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Moves each key's last-used time forward to its <see cref="KeyUse.At"/> (never backwards), in one write.</summary>
    Task RecordUsesAsync(IReadOnlyCollection<KeyUse> uses, CancellationToken cancellationToken = default);
}
