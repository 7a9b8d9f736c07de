using System.Text.Json;
using Helix.Core.Audit;
using Helix.Core.Principals;

namespace Helix.Dashboard.Model;

/// <summary>API keys as the dashboard lists, creates and revokes them: admins only, through the same store and directory the admin API uses.</summary>
/// <remarks>
/// A key is shown once, in the answer to its creation; only its hash is stored. Each change is appended to the change
/// history (<c>key.create</c>, <c>key.revoke</c>) with the key's description, never the key or its hash, and the
/// in-memory <see cref="KeyDirectory"/> is reloaded before the answer, so a new key works and a revoked one is refused
/// from the next request. Thread-safe.
/// </remarks>
public sealed class KeyCommands(IKeyStore store, KeyDirectory directory, IChangeHistory history, TimeProvider time)
{
    /// <summary>The longest key name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The highest per-key rate limit, in requests per minute.</summary>
    public const int MaxRequestsPerMinute = 1_000_000;

    private static readonly JsonSerializerOptions s_history = new(JsonSerializerDefaults.Web);

    /// <summary>Every key, revoked ones too, newest first, with current last-used times; refused unless <paramref name="actor"/> administers.</summary>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(Principal actor, CancellationToken cancellationToken = default)
    {
        if (DashboardCommands.Refuse(actor, AdminAccess.Administer) is not null)
        {
            return [];
        }

        await directory.FlushUsesAsync(cancellationToken);
        return [.. (await store.ListAsync(cancellationToken)).Reverse()];
    }

    /// <summary>Creates a key (action <c>key.create</c>).</summary>
    /// <param name="actor">Who creates it: an admin.</param>
    /// <param name="name">A name people read, 1 to <see cref="MaxNameLength"/> characters.</param>
    /// <param name="role">What the key's holder is.</param>
    /// <param name="operations">For app and agent keys, the operations it may call; empty or <see langword="null"/> for every one.</param>
    /// <param name="requestsPerMinute">For app and agent keys, its own rate limit; <see langword="null"/> for the default.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The outcome and, when done, the key: shown this once.</returns>
    public async Task<(CommandResult Result, string? Secret)> CreateAsync(
        Principal actor, string? name, PrincipalRole role, IReadOnlyCollection<string>? operations, int? requestsPerMinute, CancellationToken cancellationToken = default)
    {
        if (DashboardCommands.Refuse(actor, AdminAccess.Administer) is { } refused)
        {
            return (refused, null);
        }

        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return (new CommandResult($"A key's name is 1 to {MaxNameLength} characters without control characters."), null);
        }

        var limited = operations is { Count: > 0 };
        if (!role.CallsDataPlane() && (limited || requestsPerMinute is not null))
        {
            return (new CommandResult("Only app and agent keys are limited to operations or have a rate limit; a person's key calls no operation."), null);
        }

        if (requestsPerMinute is < 1 or > MaxRequestsPerMinute)
        {
            return (new CommandResult($"The rate limit is a whole number of requests per minute from 1 to {MaxRequestsPerMinute:N0}, or empty for the default."), null);
        }

        var secret = ApiKeySecrets.Generate(role);
        var record = new ApiKeyRecord(
            ApiKeySecrets.NewId(), name, role, limited ? [.. operations!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : null,
            requestsPerMinute, secret.Hash, time.GetUtcNow(), actor.Id);
        await store.CreateAsync(record, cancellationToken);
        await directory.ReloadAsync(cancellationToken);
        await history.AppendAsync(new ChangeRecord(actor.Id, actor.Name, "key.create", record.Id, null, Json(record)), cancellationToken);
        return (CommandResult.Done, secret.Secret);
    }

    /// <summary>Revokes a key (action <c>key.revoke</c>); it is refused from the next request.</summary>
    public async Task<CommandResult> RevokeAsync(Principal actor, string id, CancellationToken cancellationToken = default)
    {
        if (DashboardCommands.Refuse(actor, AdminAccess.Administer) is { } refused)
        {
            return refused;
        }

        if (await store.RevokeAsync(id, time.GetUtcNow(), cancellationToken) is not { } change)
        {
            return new CommandResult($"No key has the id '{id}'.");
        }

        await directory.ReloadAsync(cancellationToken);
        if (change.Before.RevokedAt is null)
        {
            await history.AppendAsync(new ChangeRecord(actor.Id, actor.Name, "key.revoke", id, Json(change.Before), Json(change.After)), cancellationToken);
        }

        return CommandResult.Done;
    }

    // The admin API's key item: never the key, never its hash.
    private static string Json(ApiKeyRecord key) => JsonSerializer.Serialize(new Dictionary<string, object?>
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
