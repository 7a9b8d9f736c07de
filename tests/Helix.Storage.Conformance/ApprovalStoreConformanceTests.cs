using Helix.Core.Approvals;
using Helix.Testing;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>What every back-end of <see cref="IApprovalStore"/> must do: each status change one atomic conditional update.</summary>
public abstract class ApprovalStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = TestEntries.Epoch;

    private IApprovalStore? _store;
    private IAsyncDisposable? _owner;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IApprovalStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates the store over a new, empty database, and what owns it.</summary>
    protected abstract Task<(IApprovalStore Store, IAsyncDisposable? Owner)> CreateStoreAsync();

    /// <summary>Another store over the same database, as another gateway instance would hold it; the same store for a back-end with one process.</summary>
    protected virtual IApprovalStore OtherInstance(IApprovalStore store) => store;

    public async ValueTask InitializeAsync() => (_store, _owner) = await CreateStoreAsync();

    public async ValueTask DisposeAsync()
    {
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task TryConsume_TwentyConcurrentOnOneApproval_ExactlyOneSucceeds()
    {
        await Store.CreateAsync(Request("apr_1", s_now), Ct);
        await Store.DecideAsync("apr_1", new ApprovalDecision(true, "key_op", "Olga", null, s_now), Ct);
        var other = OtherInstance(Store);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).TryConsumeAsync("apr_1", s_now, Ct), Ct)));

        Assert.Single(results, r => r);
        var consumed = await Store.GetAsync("apr_1", Ct);
        Assert.Equal((ApprovalStatus.Consumed, s_now), (consumed!.Status, consumed.ConsumedAt));
    }

    [Fact]
    public async Task RoundTrip_KeepsEveryField()
    {
        var request = Request("apr_2", s_now);

        await Store.CreateAsync(request, Ct);

        Assert.Equal(request, await Store.GetAsync("apr_2", Ct));
        Assert.Null(await Store.GetAsync("apr_missing", Ct));
    }

    [Fact]
    public async Task RoundTrip_UnpricedRequestWithoutHash()
    {
        var request = Request("apr_unpriced", s_now) with { EstimatedCostUsd = null, RequestHash = null, Policy = ApprovalPolicyKind.NewModel };

        await Store.CreateAsync(request, Ct);

        Assert.Equal(request, await Store.GetAsync("apr_unpriced", Ct));
    }

    [Fact]
    public async Task Decide_OnlyAPendingUnexpiredRequest()
    {
        await Store.CreateAsync(Request("apr_3", s_now), Ct);
        await Store.CreateAsync(Request("apr_4", s_now), Ct);

        var rejected = await Store.DecideAsync("apr_3", new ApprovalDecision(false, "key_op", "Olga", "too dear", s_now), Ct);
        var again = await Store.DecideAsync("apr_3", new ApprovalDecision(true, "key_admin", "Ada", null, s_now), Ct);
        var late = await Store.DecideAsync("apr_4", new ApprovalDecision(true, "key_op", "Olga", null, s_now + TimeSpan.FromHours(1)), Ct);
        var consumeRejected = await Store.TryConsumeAsync("apr_3", s_now, Ct);

        Assert.Equal((ApprovalStatus.Rejected, "too dear", "Olga", "key_op", (DateTimeOffset?)s_now), (rejected!.Status, rejected.Reason, rejected.DecidedByName, rejected.DecidedBy, rejected.DecidedAt));
        Assert.Null(again);
        Assert.Null(late);
        Assert.False(consumeRejected);
        Assert.Equal(ApprovalStatus.Rejected, (await Store.GetAsync("apr_3", Ct))!.Status);
        Assert.Null(await Store.DecideAsync("apr_missing", new ApprovalDecision(true, "key_op", "Olga", null, s_now), Ct));
    }

    [Fact]
    public async Task Decide_ConcurrentApproveAndReject_ExactlyOneApplies()
    {
        await Store.CreateAsync(Request("apr_race", s_now), Ct);
        var other = OtherInstance(Store);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(
            () => (i % 2 == 0 ? Store : other).DecideAsync("apr_race", new ApprovalDecision(i % 2 == 0, "key_op", $"op{i}", null, s_now), Ct), Ct)));

        var decided = Assert.Single(results, r => r is not null);
        Assert.Equal(decided!.Status, (await Store.GetAsync("apr_race", Ct))!.Status);
    }

    [Fact]
    public async Task TryConsume_OnlyAnApprovedRequest_AndOnlyBeforeExpiry()
    {
        await Store.CreateAsync(Request("apr_5", s_now), Ct);
        var pending = await Store.TryConsumeAsync("apr_5", s_now, Ct);
        await Store.DecideAsync("apr_5", new ApprovalDecision(true, "key_op", "Olga", null, s_now), Ct);

        Assert.False(pending);
        Assert.False(await Store.TryConsumeAsync("apr_5", s_now + TimeSpan.FromHours(1), Ct));
        Assert.Equal(ApprovalStatus.Expired, (await Store.GetAsync("apr_5", Ct))!.StatusAt(s_now + TimeSpan.FromHours(1)));
        Assert.False(await Store.TryConsumeAsync("apr_missing", s_now, Ct));
    }

    [Fact]
    public async Task List_FiltersByStatusAtNow_NewestFirst()
    {
        await Store.CreateAsync(Request("apr_old", s_now - TimeSpan.FromHours(2)), Ct);
        await Store.CreateAsync(Request("apr_new", s_now), Ct);
        await Store.CreateAsync(Request("apr_approved", s_now - TimeSpan.FromMinutes(2)), Ct);
        await Store.CreateAsync(Request("apr_rejected", s_now - TimeSpan.FromMinutes(3)), Ct);
        await Store.CreateAsync(Request("apr_consumed", s_now - TimeSpan.FromMinutes(4)), Ct);
        await Store.DecideAsync("apr_approved", new ApprovalDecision(true, "key_op", "Olga", null, s_now), Ct);
        await Store.DecideAsync("apr_rejected", new ApprovalDecision(false, "key_op", "Olga", null, s_now), Ct);
        await Store.DecideAsync("apr_consumed", new ApprovalDecision(true, "key_op", "Olga", null, s_now), Ct);
        await Store.TryConsumeAsync("apr_consumed", s_now, Ct);

        Assert.Equal(["apr_new"], (await Store.ListAsync(ApprovalStatus.Pending, s_now, 10, Ct)).Select(r => r.Id));
        Assert.Equal(["apr_old"], (await Store.ListAsync(ApprovalStatus.Expired, s_now, 10, Ct)).Select(r => r.Id));
        Assert.Equal(["apr_approved"], (await Store.ListAsync(ApprovalStatus.Approved, s_now, 10, Ct)).Select(r => r.Id));
        Assert.Equal(["apr_rejected"], (await Store.ListAsync(ApprovalStatus.Rejected, s_now, 10, Ct)).Select(r => r.Id));
        Assert.Equal(["apr_consumed"], (await Store.ListAsync(ApprovalStatus.Consumed, s_now, 10, Ct)).Select(r => r.Id));
        Assert.Equal(["apr_new", "apr_approved", "apr_rejected", "apr_consumed", "apr_old"], (await Store.ListAsync(null, s_now, 10, Ct)).Select(r => r.Id));
        Assert.Equal(["apr_new", "apr_approved"], (await Store.ListAsync(null, s_now, 2, Ct)).Select(r => r.Id));
    }

    [Fact]
    public async Task Policies_SaveReplacesAndReadsBack()
    {
        var policy = new RouteApprovalPolicy
        {
            Operation = "payments",
            Policy = ApprovalPolicyKind.Above,
            ThresholdUsd = 0.5m,
            MoneyMoving = true,
            ApprovedModels = ["openai/gpt-4o"],
            UpdatedAt = s_now,
            UpdatedBy = "key_op",
        };

        await Store.SavePolicyAsync(policy, Ct);
        await Store.SavePolicyAsync(policy with { Policy = ApprovalPolicyKind.NewModel, ThresholdUsd = null, ApprovedModels = ["openai/gpt-4o", "anthropic/claude-sonnet-4"] }, Ct);
        await Store.SavePolicyAsync(policy with { Operation = "chat", Policy = ApprovalPolicyKind.Always, ThresholdUsd = null, MoneyMoving = false, ApprovedModels = [] }, Ct);

        var policies = (await Store.GetPoliciesAsync(Ct)).OrderBy(p => p.Operation, StringComparer.Ordinal).ToList();
        Assert.Equal(["chat", "payments"], policies.Select(p => p.Operation));
        var read = policies[1];
        Assert.Equal((ApprovalPolicyKind.NewModel, (decimal?)null, true, "key_op", s_now), (read.Policy, read.ThresholdUsd, read.MoneyMoving, read.UpdatedBy, read.UpdatedAt));
        Assert.Equal(["openai/gpt-4o", "anthropic/claude-sonnet-4"], read.ApprovedModels);
        Assert.Empty(policies[0].ApprovedModels);
    }

    private static ApprovalRequest Request(string id, DateTimeOffset now) => new()
    {
        Id = id,
        Operation = "payments",
        PrincipalId = "anonymous",
        PrincipalName = "anonymous",
        RequestHash = "0f" + new string('a', 62),
        EstimatedCostUsd = 0.000123456789m,
        Model = "openai/gpt-4o",
        Policy = ApprovalPolicyKind.Always,
        Why = "policy 'always'",
        CreatedAt = now,
        ExpiresAt = now + TimeSpan.FromHours(1),
    };
}
