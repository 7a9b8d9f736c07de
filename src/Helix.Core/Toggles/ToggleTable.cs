using Helix.Core.Pipeline;

namespace Helix.Core.Toggles;

/// <summary>Serves the current toggle snapshot from memory and publishes a new one on every change.</summary>
/// <remarks>
/// <para>
/// Thread-safe. <see cref="Current"/> is a volatile read; before the first load it holds the locked toggles only.
/// <see cref="SetAsync"/> and <see cref="DeleteAsync"/> write the store and publish a new snapshot before they
/// return, so a change takes effect on the next call; <see cref="ReloadAsync"/> (a timer's safety net) catches
/// changes made by another instance. A reload that fails keeps the snapshot in force.
/// </para>
/// <para>
/// Locked toggles (<see cref="SafetyToggles"/>) are never written: setting or deleting one answers
/// <c>toggle_locked</c> (409) whoever asks. A stored row that contradicts one is ignored by every snapshot and
/// stops <see cref="InitializeAsync"/>.
/// </para>
/// </remarks>
public sealed class ToggleTable : IDisposable
{
    /// <summary>The error code of a change refused because the toggle is locked.</summary>
    public const string ToggleLocked = "toggle_locked";

    /// <summary>The longest description or owner.</summary>
    public const int MaxTextLength = 500;

    private readonly IToggleStore? _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private ToggleSnapshot _current;
    private long _revision;

    /// <summary>Creates a table over <paramref name="store"/>.</summary>
    /// <param name="store">Where admins' toggles are kept, or <see langword="null"/> for the locked toggles only (changes are then refused).</param>
    /// <param name="safety">The locked toggles.</param>
    /// <param name="time">The clock of <see cref="ToggleConfig.UpdatedAt"/>.</param>
    public ToggleTable(IToggleStore? store, SafetyToggles safety, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(safety);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        Safety = safety;
        _current = new ToggleSnapshot(0, safety, []);
    }

    /// <summary>The locked toggles.</summary>
    public SafetyToggles Safety { get; }

    /// <summary>The snapshot in force.</summary>
    public ToggleSnapshot Current => Volatile.Read(ref _current);

    /// <inheritdoc/>
    public void Dispose() => _writeLock.Dispose();

    /// <summary>Loads the toggles and verifies the locked ones: the start-up load.</summary>
    /// <exception cref="LockedToggleConflictException">A stored row contradicts a locked toggle; nothing is published.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var revision = Interlocked.Increment(ref _revision);
        var stored = _store is null ? [] : await _store.GetTogglesAsync(cancellationToken);
        var snapshot = new ToggleSnapshot(revision, Safety, stored);
        if (snapshot.LockedConflicts.Count > 0)
        {
            throw new LockedToggleConflictException(snapshot.LockedConflicts);
        }

        Publish(snapshot);
    }

    /// <summary>Loads the toggles from the store and publishes them.</summary>
    /// <returns>The new snapshot; its <see cref="ToggleSnapshot.LockedConflicts"/> names stored rows that were ignored.</returns>
    public async Task<ToggleSnapshot> ReloadAsync(CancellationToken cancellationToken = default)
    {
        // The revision is taken before the read: of two overlapping reloads, the one that read later wins.
        var revision = Interlocked.Increment(ref _revision);
        var stored = _store is null ? [] : await _store.GetTogglesAsync(cancellationToken);
        var snapshot = new ToggleSnapshot(revision, Safety, stored);
        Publish(snapshot);
        return snapshot;
    }

    /// <summary>Sets a toggle, creating it when absent; the change takes effect on the next call.</summary>
    /// <param name="update">What to set.</param>
    /// <param name="changedBy">The id of the principal who changes it.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The toggle before and after, or the error that refused the change (nothing is changed then).</returns>
    /// <exception cref="InvalidOperationException">The table has no store.</exception>
    public async Task<Result<ToggleChange>> SetAsync(ToggleUpdate update, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentException.ThrowIfNullOrWhiteSpace(changedBy);
        if (Refuse(update.Name) is { } refusal)
        {
            return refusal;
        }

        var store = _store ?? throw new InvalidOperationException("This host has no toggle store: only the locked toggles exist.");
        if (update.Description is { Length: > MaxTextLength } || update.Owner is { Length: > MaxTextLength })
        {
            return GatewayError.InvalidRequest($"description and owner are at most {MaxTextLength} characters.", "invalid_toggle");
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            Current.TryGet(update.Name, out var existing);
            var shape = Shape(update, existing);
            if (!shape.IsSuccess)
            {
                return shape.Error;
            }

            var (scope, subject) = shape.Value;
            var after = new ToggleConfig
            {
                Name = existing?.Name ?? update.Name,
                Enabled = update.Enabled,
                Scope = scope,
                Subject = subject,
                Description = update.Description ?? existing?.Description,
                Owner = update.Owner ?? existing?.Owner,
                UpdatedAt = _time.GetUtcNow(),
                UpdatedBy = changedBy,
            };
            await store.SaveToggleAsync(after, cancellationToken);
            await ReloadAsync(cancellationToken);
            return new ToggleChange(existing, after);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Deletes a toggle; from the next call it is absent (off).</summary>
    /// <param name="name">The toggle's name.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>The toggle before and nothing after, or the error that refused the change: locked (409), unknown (404).</returns>
    /// <exception cref="InvalidOperationException">The table has no store.</exception>
    public async Task<Result<ToggleChange>> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Safety.TryGet(name, out var locked))
        {
            return LockedRefusal(locked);
        }

        var store = _store ?? throw new InvalidOperationException("This host has no toggle store: only the locked toggles exist.");
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!Current.TryGet(name, out var existing) || !await store.DeleteToggleAsync(existing.Name, cancellationToken))
            {
                return new GatewayError("toggle_not_found", $"No toggle named '{name}'.", 404, "invalid_request_error");
            }

            await ReloadAsync(cancellationToken);
            return new ToggleChange(existing, null);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private GatewayError? Refuse(string name)
    {
        if (!ToggleNames.IsValid(name))
        {
            return GatewayError.InvalidRequest($"'{name}' is not a valid toggle name: use {ToggleNames.Rule}.", "invalid_toggle_name");
        }

        if (Safety.TryGet(name, out var locked))
        {
            return LockedRefusal(locked);
        }

        if (ToggleNames.LooksLikeKill(name) && !ToggleNames.TryParseKill(name, out _, out _))
        {
            return GatewayError.InvalidRequest(
                $"'{name}' is not a kill switch name: use kill:global, kill:operation:<operation>, kill:provider:<provider> or kill:model:<provider/model>.",
                "invalid_toggle_name");
        }

        return null;
    }

    private static Result<(ToggleScope Scope, string? Subject)> Shape(ToggleUpdate update, ToggleConfig? existing)
    {
        if (ToggleNames.TryParseKill(update.Name, out var killScope, out var killSubject))
        {
            if ((update.Scope is { } scope && scope != killScope)
                || (update.Subject is not null && !string.Equals(update.Subject, killSubject, StringComparison.OrdinalIgnoreCase)))
            {
                return GatewayError.InvalidRequest(
                    $"A kill switch's scope and subject come from its name: '{update.Name}' is scope {killScope.ToString().ToLowerInvariant()}{(killSubject is null ? "" : $", subject '{killSubject}'")}.",
                    "toggle_scope_mismatch");
            }

            return (killScope, killSubject);
        }

        var resolvedScope = update.Scope ?? existing?.Scope ?? ToggleScope.Global;
        var subject = update.Subject ?? (update.Scope is null ? existing?.Subject : null);
        if (resolvedScope == ToggleScope.Global && subject is not null)
        {
            return GatewayError.InvalidRequest("A global toggle has no subject; give scope operation, provider or model with a subject.", "toggle_scope_mismatch");
        }

        if (resolvedScope != ToggleScope.Global && string.IsNullOrWhiteSpace(subject))
        {
            return GatewayError.InvalidRequest($"A toggle of scope {resolvedScope.ToString().ToLowerInvariant()} names its subject (the {resolvedScope.ToString().ToLowerInvariant()} it applies to).", "toggle_scope_mismatch");
        }

        if (subject is { Length: > ToggleNames.MaxLength })
        {
            return GatewayError.InvalidRequest($"subject is at most {ToggleNames.MaxLength} characters.", "invalid_toggle");
        }

        return (resolvedScope, subject);
    }

    /// <summary>The 409 <c>toggle_locked</c> error of any attempt to change <paramref name="locked"/>.</summary>
    public static GatewayError LockedRefusal(ToggleConfig locked)
    {
        ArgumentNullException.ThrowIfNull(locked);
        return
        new(ToggleLocked,
            $"'{locked.Name}' is a locked safety toggle ({(locked.Enabled ? "enabled" : "disabled")}): no API call, role or stored value changes it. {locked.LockedReason}".TrimEnd(),
            409,
            "invalid_request_error");
    }

    private void Publish(ToggleSnapshot snapshot)
    {
        // Two reloads may finish out of order: never replace a newer snapshot with an older one.
        var current = Volatile.Read(ref _current);
        while (snapshot.Revision > current.Revision)
        {
            var seen = Interlocked.CompareExchange(ref _current, snapshot, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }
}
