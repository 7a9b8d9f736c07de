using Helix.Core.Approvals;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteApprovalStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryConsume_TwentyConcurrentOnOneApproval_ExactlyOneSucceeds()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteApprovalStore(test.Database);
        var now = test.Time.GetUtcNow();
        await store.CreateAsync(Request("apr_1", now), Ct);
        await store.DecideAsync("apr_1", new ApprovalDecision(true, "key_op", "Olga", null, now), Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.TryConsumeAsync("apr_1", now, Ct), Ct)));

        Assert.Single(results, r => r);
        var consumed = await store.GetAsync("apr_1", Ct);
        Assert.Equal((ApprovalStatus.Consumed, now), (consumed!.Status, consumed.ConsumedAt));
    }

    [Fact]
    public async Task RoundTrip_KeepsEveryField()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteApprovalStore(test.Database);
        var now = test.Time.GetUtcNow();
        var request = Request("apr_2", now);

        await store.CreateAsync(request, Ct);

        Assert.Equal(request, await store.GetAsync("apr_2", Ct));
        Assert.Null(await store.GetAsync("apr_missing", Ct));
    }

    [Fact]
    public async Task Decide_OnlyAPendingUnexpiredRequest()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteApprovalStore(test.Database);
        var now = test.Time.GetUtcNow();
        await store.CreateAsync(Request("apr_3", now), Ct);
        await store.CreateAsync(Request("apr_4", now), Ct);

        var rejected = await store.DecideAsync("apr_3", new ApprovalDecision(false, "key_op", "Olga", "too dear", now), Ct);
        var again = await store.DecideAsync("apr_3", new ApprovalDecision(true, "key_admin", "Ada", null, now), Ct);
        var late = await store.DecideAsync("apr_4", new ApprovalDecision(true, "key_op", "Olga", null, now + TimeSpan.FromHours(1)), Ct);
        var consumeRejected = await store.TryConsumeAsync("apr_3", now, Ct);

        Assert.Equal((ApprovalStatus.Rejected, "too dear", "Olga"), (rejected!.Status, rejected.Reason, rejected.DecidedByName));
        Assert.Null(again);
        Assert.Null(late);
        Assert.False(consumeRejected);
        Assert.Equal(ApprovalStatus.Rejected, (await store.GetAsync("apr_3", Ct))!.Status);
    }

    [Fact]
    public async Task TryConsume_AfterExpiry_Refused()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteApprovalStore(test.Database);
        var now = test.Time.GetUtcNow();
        await store.CreateAsync(Request("apr_5", now), Ct);
        await store.DecideAsync("apr_5", new ApprovalDecision(true, "key_op", "Olga", null, now), Ct);

        Assert.False(await store.TryConsumeAsync("apr_5", now + TimeSpan.FromHours(1), Ct));
        Assert.Equal(ApprovalStatus.Expired, (await store.GetAsync("apr_5", Ct))!.StatusAt(now + TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task List_FiltersByStatusAtNow()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteApprovalStore(test.Database);
        var now = test.Time.GetUtcNow();
        await store.CreateAsync(Request("apr_old", now - TimeSpan.FromHours(2)), Ct);
        await store.CreateAsync(Request("apr_new", now), Ct);

        var pending = await store.ListAsync(ApprovalStatus.Pending, now, 10, Ct);
        var expired = await store.ListAsync(ApprovalStatus.Expired, now, 10, Ct);
        var all = await store.ListAsync(null, now, 10, Ct);

        Assert.Equal("apr_new", Assert.Single(pending).Id);
        Assert.Equal("apr_old", Assert.Single(expired).Id);
        Assert.Equal(["apr_new", "apr_old"], all.Select(r => r.Id));
    }

    [Fact]
    public async Task Policies_SaveReplacesAndReadsBack()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteApprovalStore(test.Database);
        var now = test.Time.GetUtcNow();
        var policy = new RouteApprovalPolicy
        {
            Operation = "payments",
            Policy = ApprovalPolicyKind.Above,
            ThresholdUsd = 0.5m,
            MoneyMoving = true,
            ApprovedModels = ["openai/gpt-4o"],
            UpdatedAt = now,
            UpdatedBy = "key_op",
        };

        await store.SavePolicyAsync(policy, Ct);
        await store.SavePolicyAsync(policy with { Policy = ApprovalPolicyKind.NewModel, ThresholdUsd = null }, Ct);

        var read = Assert.Single(await store.GetPoliciesAsync(Ct));
        Assert.Equal((ApprovalPolicyKind.NewModel, (decimal?)null, true, "key_op"), (read.Policy, read.ThresholdUsd, read.MoneyMoving, read.UpdatedBy));
        Assert.Equal(["openai/gpt-4o"], read.ApprovedModels);
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
