namespace Helix.Core.Principals;

/// <summary>What an edit leaves a key with: its name, role, operations and rate limit; never its secret, id or times.</summary>
/// <param name="Name">A name people read (<see cref="ApiKeyService.IsValidName"/>).</param>
/// <param name="Role">What the key's holder is.</param>
/// <param name="Operations">For app and agent keys, the operations it may call; <see langword="null"/> for every one.</param>
/// <param name="RequestsPerMinute">For app and agent keys, its own rate limit; <see langword="null"/> for the default.</param>
public sealed record ApiKeyEdit(string Name, PrincipalRole Role, IReadOnlyList<string>? Operations, int? RequestsPerMinute)
{
    /// <summary>The editable part of <paramref name="key"/> as it stands.</summary>
    public static ApiKeyEdit Of(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Name, key.Role, key.Operations, key.RequestsPerMinute);
    }

    /// <summary>Whether this edit leaves <paramref name="key"/> as it is.</summary>
    public bool Matches(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Name == key.Name && Role == key.Role && RequestsPerMinute == key.RequestsPerMinute
            && (Operations is null ? key.Operations is null : key.Operations is not null && Operations.SequenceEqual(key.Operations, StringComparer.Ordinal));
    }
}
