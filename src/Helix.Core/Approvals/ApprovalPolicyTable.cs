using System.Collections.Frozen;

namespace Helix.Core.Approvals;

/// <summary>Serves every route's approval policy from memory; a change is stored, then a new snapshot is published.</summary>
/// <remarks>
/// Thread-safe: readers take the current frozen snapshot with a volatile read and never lock; changes are serialised.
/// The first <see cref="ReloadAsync"/> must complete before calls are served (a failed one stops start-up).
/// </remarks>
public sealed class ApprovalPolicyTable : IDisposable
{
    private readonly IApprovalStore _store;
    private readonly SemaphoreSlim _changeLock = new(1, 1);
    private FrozenDictionary<string, RouteApprovalPolicy>? _current;

    /// <summary>Creates a table over <paramref name="store"/>.</summary>
    public ApprovalPolicyTable(IApprovalStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Whether the policies are loaded.</summary>
    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    /// <inheritdoc/>
    public void Dispose() => _changeLock.Dispose();

    /// <summary>The policy of <paramref name="operation"/>; <see cref="ApprovalPolicyKind.Never"/> when none was set.</summary>
    /// <exception cref="InvalidOperationException">Nothing was loaded yet.</exception>
    public RouteApprovalPolicy Get(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var current = Volatile.Read(ref _current) ?? throw new InvalidOperationException("Approval policies are not loaded yet; call ReloadAsync at start-up.");
        return current.TryGetValue(operation, out var policy) ? policy : RouteApprovalPolicy.None(operation);
    }

    /// <summary>Whether a policy was ever set for <paramref name="operation"/> (without one, the operation never needs approval).</summary>
    /// <exception cref="InvalidOperationException">Nothing was loaded yet.</exception>
    public bool TryGet(string operation, out RouteApprovalPolicy policy)
    {
        if (Find(operation) is { } found)
        {
            policy = found;
            return true;
        }

        policy = RouteApprovalPolicy.None(operation);
        return false;
    }

    /// <summary>The policy set for <paramref name="operation"/>, or <see langword="null"/> when none was (the request path's check: nothing allocated).</summary>
    /// <exception cref="InvalidOperationException">Nothing was loaded yet.</exception>
    public RouteApprovalPolicy? Find(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var current = Volatile.Read(ref _current) ?? throw new InvalidOperationException("Approval policies are not loaded yet; call ReloadAsync at start-up.");
        return current.TryGetValue(operation, out var found) ? found : null;
    }

    /// <summary>Loads every policy from the store and publishes them.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _changeLock.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>Stores <paramref name="policy"/> and publishes it; effective on the next call.</summary>
    /// <returns>The policy before the change.</returns>
    public async Task<RouteApprovalPolicy> SaveAsync(RouteApprovalPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        await _changeLock.WaitAsync(cancellationToken);
        try
        {
            var before = IsLoaded && TryGet(policy.Operation, out var known) ? known : RouteApprovalPolicy.None(policy.Operation);
            await _store.SavePolicyAsync(policy, cancellationToken);
            await LoadAsync(cancellationToken);
            return before;
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>Adds <paramref name="modelId"/> to the operation's approved models (a decision on a <c>new-model</c> request).</summary>
    public async Task ApproveModelAsync(string operation, string modelId, string approvedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(modelId);
        await _changeLock.WaitAsync(cancellationToken);
        try
        {
            TryGet(operation, out var policy);
            if (policy.IsApproved(modelId))
            {
                return;
            }

            await _store.SavePolicyAsync(policy with
            {
                ApprovedModels = [.. policy.ApprovedModels, modelId],
                UpdatedAt = at,
                UpdatedBy = approvedBy,
            }, cancellationToken);
            await LoadAsync(cancellationToken);
        }
        finally
        {
            _changeLock.Release();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var policies = await _store.GetPoliciesAsync(cancellationToken);
        Volatile.Write(ref _current, policies.ToFrozenDictionary(p => p.Operation, StringComparer.OrdinalIgnoreCase));
    }
}
