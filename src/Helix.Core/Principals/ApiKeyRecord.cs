namespace Helix.Core.Principals;

/// <summary>An API key as it is stored: who it names and what it may do, with the hash of its secret, never the secret.</summary>
/// <param name="Id">The key's stable id (<c>key_…</c>): the log's <c>principal</c>, the <c>key</c> budget scope's subject.</param>
/// <param name="Name">A name people read.</param>
/// <param name="Role">What the key's holder is and may do.</param>
/// <param name="Operations">The operations an <c>app</c> or <c>agent</c> key may call, or <see langword="null"/> for every one.</param>
/// <param name="RequestsPerMinute">The key's own data-plane rate limit, or <see langword="null"/> for the configured default.</param>
/// <param name="Hash">The SHA-256 of the key's UTF-8 text (<see cref="ApiKeySecrets.TryHash"/>); 32 bytes.</param>
/// <param name="CreatedAt">When the key was created.</param>
/// <param name="CreatedBy">The id of the principal who created it.</param>
/// <param name="LastUsedAt">When the key was last presented, as last flushed (coalesced, so up to a reload interval behind).</param>
/// <param name="RevokedAt">When the key was revoked, or <see langword="null"/> while it is valid.</param>
public sealed record ApiKeyRecord(
    string Id,
    string Name,
    PrincipalRole Role,
    IReadOnlyList<string>? Operations,
    int? RequestsPerMinute,
    ReadOnlyMemory<byte> Hash,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? LastUsedAt = null,
    DateTimeOffset? RevokedAt = null)
{
    /// <summary>The principal the key authenticates.</summary>
    public Principal ToPrincipal() => new(Id, Name, Role, Operations);
}
