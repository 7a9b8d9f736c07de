using Helix.Core.Approvals;

namespace Helix.Testing;

/// <summary>Approval requests and policies in memory, with the same conditional status changes as SQLite.</summary>
/// <remarks>Thread-safe: every change happens under one lock, so a consumption is atomic.</remarks>
public sealed class InMemoryApprovalStore : IApprovalStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ApprovalRequest> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RouteApprovalPolicy> _policies = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every request, in no order.</summary>
    public IReadOnlyList<ApprovalRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests.Values];
            }
        }
    }

    public Task CreateAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            _requests.Add(request.Id, request with { Status = ApprovalStatus.Pending });
        }

        return Task.CompletedTask;
    }

    public Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_requests.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ApprovalRequest> list = [.. _requests.Values
                .Where(r => status is null || r.StatusAt(now) == status)
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .Take(limit)];
            return Task.FromResult(list);
        }
    }

    public Task<ApprovalRequest?> DecideAsync(string id, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        lock (_gate)
        {
            if (!_requests.TryGetValue(id, out var request) || request.Status != ApprovalStatus.Pending || decision.At >= request.ExpiresAt)
            {
                return Task.FromResult<ApprovalRequest?>(null);
            }

            var decided = request with
            {
                Status = decision.Approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected,
                DecidedAt = decision.At,
                DecidedBy = decision.DecidedBy,
                DecidedByName = decision.DecidedByName,
                Reason = decision.Reason,
            };
            _requests[id] = decided;
            return Task.FromResult<ApprovalRequest?>(decided);
        }
    }

    public Task<bool> TryConsumeAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_requests.TryGetValue(id, out var request) || request.Status != ApprovalStatus.Approved || now >= request.ExpiresAt)
            {
                return Task.FromResult(false);
            }

            _requests[id] = request with { Status = ApprovalStatus.Consumed, ConsumedAt = now };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<RouteApprovalPolicy>> GetPoliciesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RouteApprovalPolicy> list = [.. _policies.Values];
            return Task.FromResult(list);
        }
    }

    public Task SavePolicyAsync(RouteApprovalPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_gate)
        {
            _policies[policy.Operation] = policy;
        }

        return Task.CompletedTask;
    }
}
