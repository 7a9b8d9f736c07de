using System.Text.Json;
using Helix.Core.Audit;
using Helix.Core.Pipeline;

namespace Helix.Core.Principals;

/// <summary>Creates, edits and revokes API keys: the one place that does it, for the admin API and the dashboard alike.</summary>
/// <remarks>
/// A key is shown once, in the answer to its creation; only its hash is stored. Each change is appended to the change
/// history (<c>key.create</c>, <c>key.update</c>, <c>key.revoke</c>) with the key's description, never the key or its
/// hash, and the in-memory <see cref="KeyDirectory"/> is reloaded before the answer, so a new key works, an edited one
/// has its new role, operations and rate limit, and a revoked one is refused from the next request. Callers check who
/// may do it and validate a new key first; an edit is checked here, whole, against the key as it stands. Thread-safe.
/// </remarks>
public sealed class ApiKeyService(IKeyStore store, KeyDirectory directory, IChangeHistory history, TimeProvider time)
{
    /// <summary>The longest key name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The highest per-key rate limit, in requests per minute.</summary>
    public const int MaxRequestsPerMinute = 1_000_000;

    /// <summary>The most operations a key may be limited to.</summary>
    public const int MaxOperations = 100;

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

    /// <summary>What is wrong with a key left as <paramref name="edit"/> says, or <see langword="null"/> when nothing is.</summary>
    public static string? Problem(ApiKeyEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if (!IsValidName(edit.Name))
        {
            return $"name is 1 to {MaxNameLength} characters without control characters.";
        }

        if (!edit.Role.CallsDataPlane() && (edit.Operations is not null || edit.RequestsPerMinute is not null))
        {
            return "Only app and agent keys are limited to operations or have a rate limit; a person's key calls no operation: clear both.";
        }

        if (edit.Operations is { Count: 0 or > MaxOperations } || (edit.Operations?.Any(string.IsNullOrWhiteSpace) ?? false))
        {
            return $"operations is 1 to {MaxOperations} operation names, or none for every operation.";
        }

        return edit.RequestsPerMinute is < 1 or > MaxRequestsPerMinute
            ? $"requestsPerMinute is a whole number from 1 to {MaxRequestsPerMinute}, or none for the default."
            : null;
    }

    /// <summary>Edits a key (action <c>key.update</c>): its name, role, operations or rate limit, effective from the next request.</summary>
    /// <param name="actor">Who edits it.</param>
    /// <param name="id">The key's id.</param>
    /// <param name="patch">What changes; what it leaves unset stays.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>
    /// The key as it is now (unchanged, with no history entry, when the patch changes nothing); or <c>unknown_key</c>
    /// (404), <c>invalid_request</c> (400: the key as the patch would leave it is not valid, see <see cref="Problem"/>),
    /// <c>conflict</c> (409: the key is revoked, or a key would change its own role). A refused edit changes nothing.
    /// </returns>
    public async Task<Result<ApiKeyRecord>> EditAsync(Principal actor, string id, ApiKeyPatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(patch);
        var current = (await store.ListAsync(cancellationToken)).FirstOrDefault(k => string.Equals(k.Id, id, StringComparison.Ordinal));
        if (current is null)
        {
            return UnknownKey(id);
        }

        if (current.RevokedAt is not null)
        {
            return Revoked(id);
        }

        var edit = patch.ApplyTo(current);
        if (Problem(edit) is { } problem)
        {
            return GatewayError.InvalidRequest(problem);
        }

        // A key demoting itself would lock its holder out mid-change; another admin decides that.
        if (edit.Role != current.Role && string.Equals(actor.Id, id, StringComparison.Ordinal))
        {
            return GatewayError.Conflict("A key does not change its own role: another admin changes it.");
        }

        if (edit.Matches(current))
        {
            return current;
        }

        if (await store.UpdateAsync(id, edit, cancellationToken) is not { } change)
        {
            return UnknownKey(id);
        }

        if (change.After.RevokedAt is not null)
        {
            return Revoked(id);
        }

        await directory.ReloadAsync(cancellationToken);
        await history.AppendAsync(new ChangeRecord(actor.Id, actor.Name, "key.update", id, Describe(change.Before), Describe(change.After)), cancellationToken);
        return change.After;
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

    private static GatewayError UnknownKey(string id) => new("unknown_key", $"No key has the id '{id}'.", 404, "invalid_request_error");

    private static GatewayError Revoked(string id) => GatewayError.Conflict($"The key '{id}' is revoked: a revoked key is not edited.");

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
