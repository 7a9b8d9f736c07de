namespace Helix.Core.Principals;

/// <summary>A change to some of a key's settings: what it leaves unset stays as it is.</summary>
/// <remarks>
/// <see cref="Operations"/> and <see cref="RequestsPerMinute"/> may be set to <see langword="null"/> (every operation, the
/// default limit), so each has a flag saying whether the patch sets it.
/// </remarks>
public sealed record ApiKeyPatch
{
    /// <summary>The new name, or <see langword="null"/> to keep it.</summary>
    public string? Name { get; init; }

    /// <summary>The new role, or <see langword="null"/> to keep it.</summary>
    public PrincipalRole? Role { get; init; }

    /// <summary>Whether the patch sets <see cref="Operations"/>.</summary>
    public bool SetsOperations { get; init; }

    /// <summary>With <see cref="SetsOperations"/>: the operations an app or agent key may call, <see langword="null"/> for every one.</summary>
    public IReadOnlyList<string>? Operations { get; init; }

    /// <summary>Whether the patch sets <see cref="RequestsPerMinute"/>.</summary>
    public bool SetsRequestsPerMinute { get; init; }

    /// <summary>With <see cref="SetsRequestsPerMinute"/>: an app or agent key's own rate limit, <see langword="null"/> for the default.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Whether the patch sets nothing.</summary>
    public bool IsEmpty => Name is null && Role is null && !SetsOperations && !SetsRequestsPerMinute;

    /// <summary>What <paramref name="key"/> would be with this patch applied.</summary>
    public ApiKeyEdit ApplyTo(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ApiKeyEdit(
            Name ?? key.Name,
            Role ?? key.Role,
            SetsOperations ? Operations : key.Operations,
            SetsRequestsPerMinute ? RequestsPerMinute : key.RequestsPerMinute);
    }
}
