using Helix.Core.Principals;

namespace Helix.Dashboard.Model;

/// <summary>API keys as the dashboard lists, creates, edits and revokes them: admins only, through the <see cref="ApiKeyService"/> the admin API uses.</summary>
/// <remarks>A key is shown once, in the answer to its creation; see <see cref="ApiKeyService"/> for what a change records. Thread-safe.</remarks>
public sealed class KeyCommands(IKeyStore store, KeyDirectory directory, ApiKeyService keys)
{
    /// <summary>The longest key name.</summary>
    public const int MaxNameLength = ApiKeyService.MaxNameLength;

    /// <summary>The highest per-key rate limit, in requests per minute.</summary>
    public const int MaxRequestsPerMinute = ApiKeyService.MaxRequestsPerMinute;

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
        if (!ApiKeyService.IsValidName(name))
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

        var (_, secret) = await keys.CreateAsync(
            actor, name!, role, limited ? [.. operations!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : null, requestsPerMinute, cancellationToken);
        return (CommandResult.Done, secret);
    }

    /// <summary>Edits a key (action <c>key.update</c>): it is left with the name, role, operations and rate limit given, from the next request.</summary>
    /// <param name="actor">Who edits it: an admin.</param>
    /// <param name="id">The key's id.</param>
    /// <param name="name">Its name, 1 to <see cref="MaxNameLength"/> characters.</param>
    /// <param name="role">What its holder is.</param>
    /// <param name="operations">For app and agent keys, the operations it may call; empty or <see langword="null"/> for every one. Ignored for a person's role.</param>
    /// <param name="requestsPerMinute">For app and agent keys, its own rate limit; <see langword="null"/> for the default. Ignored for a person's role.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    public async Task<CommandResult> EditAsync(
        Principal actor, string id, string? name, PrincipalRole role, IReadOnlyCollection<string>? operations, int? requestsPerMinute, CancellationToken cancellationToken = default)
    {
        if (DashboardCommands.Refuse(actor, AdminAccess.Administer) is { } refused)
        {
            return refused;
        }

        var calls = role.CallsDataPlane();
        var patch = new ApiKeyPatch
        {
            Name = name?.Trim() ?? "",
            Role = role,
            SetsOperations = true,
            Operations = calls && operations is { Count: > 0 } ? [.. operations.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : null,
            SetsRequestsPerMinute = true,
            RequestsPerMinute = calls ? requestsPerMinute : null,
        };
        var result = await keys.EditAsync(actor, id, patch, cancellationToken);
        return result.IsSuccess ? CommandResult.Done : new CommandResult(result.Error.Message);
    }

    /// <summary>Revokes a key (action <c>key.revoke</c>); it is refused from the next request.</summary>
    public async Task<CommandResult> RevokeAsync(Principal actor, string id, CancellationToken cancellationToken = default)
    {
        if (DashboardCommands.Refuse(actor, AdminAccess.Administer) is { } refused)
        {
            return refused;
        }

        return await keys.RevokeAsync(actor, id, cancellationToken) is null ? new CommandResult($"No key has the id '{id}'.") : CommandResult.Done;
    }
}
