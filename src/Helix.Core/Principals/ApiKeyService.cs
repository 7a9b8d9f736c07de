using System.Text.Json;
using Helix.Core.Audit;

namespace Helix.Core.Principals;

/// <summary>Creates and revokes API keys: the one place that does it, for the admin API and the dashboard alike.</summary>
/// <remarks>
/// A key is shown once, in the answer to its creation; only its hash is stored. Each change is appended to the change
/// history (<c>key.create</c>, <c>key.revoke</c>) with the key's description, never the key or its hash, and the
/// in-memory <see cref="KeyDirectory"/> is reloaded before the answer, so a new key works and a revoked one is refused
/// from the next request. Callers check who may do it and validate the request first. Thread-safe.
/// </remarks>
public sealed class ApiKeyService(IKeyStore store, KeyDirectory directory, IChangeHistory history, TimeProvider time)
{
    /// <summary>The longest key name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The highest per-key rate limit, in requests per minute.</summary>
    public const int MaxRequestsPerMinute = 1_000_000;

    private static readonly JsonSerializerOptions s_history = new(JsonSerializerDefaults.Web);

    /// <summary>Whether <paramref name="name"/> (already trimmed) is 1 to <see cref="MaxNameLength"/> characters without control characters.</summary>
    public static bool IsValidName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name) => !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && !name.Any(char.IsControl);

    /// <summary>Creates a key (action <c>key.create</c>) and answers it with its secret, shown this once.</summary>
    /// <param name="actor">Who creates it.</param>
    /// <param name="name">A valid name (<see cref="IsValidName"/>).</param>
    /// <param name="role">What the key's holder is.</param>
    /// <param name="operations">For app and agent keys, the operations it may call; <see langword="null"/> for every one.</param>
    /// <param name="requestsPerMinute">For app and agent keys, its own rate limit; <see langword="null"/> for the default.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    public async Task<(ApiKeyRecord Key, string Secret)> CreateAsync(
        Principal actor, string name, PrincipalRole role, IReadOnlyList<string>? operations, int? requestsPerMinute, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var secret = ApiKeySecrets.Generate(role);
        var record = new ApiKeyRecord(ApiKeySecrets.NewId(), name, role, operations, requestsPerMinute, secret.Hash, time.GetUtcNow(), actor.Id);
        await store.CreateAsync(record, cancellationToken);
        await directory.ReloadAsync(cancellationToken);
        await history.AppendAsync(new ChangeRecord(actor.Id, actor.Name, "key.create", record.Id, null, Describe(record)), cancellationToken);
        return (record, secret.Secret);
    }

    /// <summary>Revokes a key (action <c>key.revoke</c>, once: revoking a revoked key changes nothing); <see langword="null"/> when no key has <paramref name="id"/>.</summary>
    public async Task<(ApiKeyRecord Before, ApiKeyRecord After)?> RevokeAsync(Principal actor, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await store.RevokeAsync(id, time.GetUtcNow(), cancellationToken) is not { } change)
        {
            return null;
        }

        await directory.ReloadAsync(cancellationToken);
        if (change.Before.RevokedAt is null)
        {
            await history.AppendAsync(new ChangeRecord(actor.Id, actor.Name, "key.revoke", id, Describe(change.Before), Describe(change.After)), cancellationToken);
        }

        return change;
    }

    // The admin API's key item: never the key, never its hash.
    private static string Describe(ApiKeyRecord key) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = key.Id,
        ["name"] = key.Name,
        ["role"] = PrincipalRoles.Name(key.Role),
        ["operations"] = key.Operations,
        ["requestsPerMinute"] = key.RequestsPerMinute,
        ["createdAt"] = key.CreatedAt,
        ["createdBy"] = key.CreatedBy,
        ["lastUsedAt"] = key.LastUsedAt,
        ["revokedAt"] = key.RevokedAt,
    }, s_history);
}
