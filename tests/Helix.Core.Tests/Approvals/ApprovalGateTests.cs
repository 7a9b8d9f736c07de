using Helix.Core.Approvals;
using Helix.Core.Pipeline;
using Helix.Core.Tests.Pipeline;
using Xunit;

namespace Helix.Core.Tests.Approvals;

public sealed class ApprovalGateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Call_PolicyAlways_RefusedWithApprovalRequiredBeforeAnyProviderAndNothingLogged()
    {
        await using var h = await ApprovalHarness.CreateAsync(ApprovalPolicyKind.Always);

        var result = await h.CallAsync(ApprovalHarness.Request(), Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(("approval_required", 403), (result.Error.Code, result.Error.StatusCode));
        var approval = Assert.IsType<ApprovalRequest>(result.Error.Approval);
        Assert.StartsWith("apr_", approval.Id, StringComparison.Ordinal);
        Assert.Equal(h.Inner.Time.GetUtcNow() + TimeSpan.FromHours(1), approval.ExpiresAt);
        Assert.NotNull(approval.EstimatedCostUsd);
        Assert.Equal(("chat", "app:billing", "hash-1", PipelineHarness.A1.Id), (approval.Operation, approval.PrincipalId, approval.RequestHash, approval.Model));
        Assert.Empty(h.Inner.Alpha.Calls);
        Assert.Empty(h.Inner.Beta.Calls);
        Assert.Empty(h.Inner.Store.Entries);
        Assert.Empty(h.Inner.Store.OpenAttempts);
        Assert.Equal(approval.Id, Assert.Single(h.Announcer.Announced).Id);
        Assert.Equal(ApprovalStatus.Pending, Assert.Single(h.Store.Requests).Status);
    }

    [Fact]
    public async Task Retry_Approved_PassesOnceThenTheSecondRetryIsRefusedAsConsumed()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);
        Assert.True((await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct)).IsSuccess);

        var first = await h.CallAsync(ApprovalHarness.Request(approvalId: id), Ct);
        var second = await h.CallAsync(ApprovalHarness.Request(approvalId: id), Ct);

        Assert.True(first.IsSuccess);
        Assert.Single(h.Inner.Alpha.Calls);
        Assert.False(second.IsSuccess);
        Assert.Equal(("approval_consumed", 403), (second.Error.Code, second.Error.StatusCode));
        Assert.Single(h.Inner.Alpha.Calls);
        Assert.Equal(ApprovalStatus.Consumed, (await h.Store.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task Retry_Pending_RefusedAsPendingWithTheApproval()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);

        var result = await h.CallAsync(ApprovalHarness.Request(approvalId: id), Ct);

        Assert.Equal("approval_pending", result.Error!.Code);
        Assert.Equal(id, result.Error.Approval!.Id);
        Assert.Empty(h.Inner.Alpha.Calls);
    }

    [Fact]
    public async Task Retry_AnotherBody_RefusedAsMismatchAndTheApprovalStaysUsable()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct, hash: "hash-1");
        await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct);

        var other = await h.CallAsync(ApprovalHarness.Request(hash: "hash-2", approvalId: id), Ct);
        var same = await h.CallAsync(ApprovalHarness.Request(hash: "hash-1", approvalId: id), Ct);

        Assert.Equal("approval_mismatch", other.Error!.Code);
        Assert.Contains("body", other.Error.Message, StringComparison.Ordinal);
        Assert.True(same.IsSuccess);
        Assert.Single(h.Inner.Alpha.Calls);
    }

    [Fact]
    public async Task Retry_AnotherCaller_RefusedAsMismatch()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);
        await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct);

        var result = await h.CallAsync(ApprovalHarness.Request(approvalId: id, principal: global::Helix.Core.Principals.Principal.Application("app:other")), Ct);

        Assert.Equal("approval_mismatch", result.Error!.Code);
        Assert.Contains("another caller", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Inner.Alpha.Calls);
        Assert.Equal(ApprovalStatus.Approved, (await h.Store.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task Retry_AnotherOperation_RefusedAsMismatch()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        await h.Inner.Routes.CreateAsync(new Helix.Core.Routing.NewRoute("summary", PipelineHarness.A1.Id, null, null, null, null), "test", Ct);
        var id = await h.AskAsync(Ct);
        await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct);

        var result = await h.CallAsync(ApprovalHarness.Request(approvalId: id, operation: "summary"), Ct);

        Assert.Equal("approval_mismatch", result.Error!.Code);
        Assert.Contains("operation 'chat'", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Inner.Alpha.Calls);
    }

    [Fact]
    public async Task Retry_AfterExpiry_RefusedAsExpired()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);
        await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct);
        h.Inner.Time.Advance(TimeSpan.FromHours(1));

        var result = await h.CallAsync(ApprovalHarness.Request(approvalId: id), Ct);

        Assert.Equal(("approval_expired", 403), (result.Error!.Code, result.Error.StatusCode));
        Assert.Empty(h.Inner.Alpha.Calls);
    }

    [Fact]
    public async Task Retry_Rejected_RefusedAsRejectedWithTheReasonEveryTime()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);
        Assert.True((await h.Service.RejectAsync(id, ApprovalHarness.Admin, "not this quarter", Ct)).IsSuccess);

        var first = await h.CallAsync(ApprovalHarness.Request(approvalId: id), Ct);
        var approveAfter = await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct);
        var second = await h.CallAsync(ApprovalHarness.Request(approvalId: id), Ct);

        Assert.Equal("approval_rejected", first.Error!.Code);
        Assert.Contains("not this quarter", first.Error.Message, StringComparison.Ordinal);
        Assert.Equal("approval_not_pending", approveAfter.Error!.Code);
        Assert.Equal("approval_rejected", second.Error!.Code);
        Assert.Empty(h.Inner.Alpha.Calls);
    }

    [Fact]
    public async Task Retry_UnknownId_NotFound()
    {
        await using var h = await ApprovalHarness.CreateAsync();

        var result = await h.CallAsync(ApprovalHarness.Request(approvalId: "apr_0000"), Ct);

        Assert.Equal(("approval_not_found", 404), (result.Error!.Code, result.Error.StatusCode));
    }

    [Fact]
    public async Task Retry_TwentyConcurrentWithOneApproval_ExactlyOneIsServed()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);
        await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => h.CallAsync(ApprovalHarness.Request(approvalId: id), Ct), Ct)));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Equal(19, results.Count(r => !r.IsSuccess && r.Error!.Code == "approval_consumed"));
        Assert.Single(h.Inner.Alpha.Calls);
    }

    [Fact]
    public async Task Call_PolicyNever_ServedWithoutAnyRequest()
    {
        await using var h = await ApprovalHarness.CreateAsync(ApprovalPolicyKind.Never);

        var result = await h.CallAsync(ApprovalHarness.Request(), Ct);

        Assert.True(result.IsSuccess);
        Assert.Empty(h.Store.Requests);
    }

    [Fact]
    public async Task Call_PolicyAbove_OnlyAWorstCaseOverTheThresholdNeedsApproval()
    {
        await using var low = await ApprovalHarness.CreateAsync(ApprovalPolicyKind.Above, threshold: 1m);
        await using var high = await ApprovalHarness.CreateAsync(ApprovalPolicyKind.Above, threshold: 0.0000001m);

        var cheap = await low.CallAsync(ApprovalHarness.Request(), Ct);
        var dear = await high.CallAsync(ApprovalHarness.Request(), Ct);

        Assert.True(cheap.IsSuccess);
        Assert.Equal("approval_required", dear.Error!.Code);
        Assert.True(dear.Error.Approval!.EstimatedCostUsd > 0.0000001m);
        Assert.Contains("exceeds 0.0000001 USD", dear.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_PolicyMoneyMoving_NeedsApprovalOnlyWhenTheRouteIsFlagged()
    {
        await using var h = await ApprovalHarness.CreateAsync(ApprovalPolicyKind.MoneyMoving);

        var flagged = await h.CallAsync(ApprovalHarness.Request(), Ct);
        await h.Policies.SaveAsync(h.Policies.Get("chat") with { MoneyMoving = false }, Ct);
        var unflagged = await h.CallAsync(ApprovalHarness.Request(), Ct);

        Assert.Equal("approval_required", flagged.Error!.Code);
        Assert.True(unflagged.IsSuccess);
    }

    [Fact]
    public async Task Call_PolicyNewModel_AnApprovalApprovesTheModelForLaterCalls()
    {
        await using var h = await ApprovalHarness.CreateAsync(ApprovalPolicyKind.NewModel, approvedModels: [PipelineHarness.B1.Id]);

        var first = await h.CallAsync(ApprovalHarness.Request(), Ct);
        Assert.Equal(PipelineHarness.A1.Id, first.Error!.Approval!.Model);
        await h.Service.ApproveAsync(first.Error.Approval.Id, ApprovalHarness.Operator, cancellationToken: Ct);
        var later = await h.CallAsync(ApprovalHarness.Request(hash: "another body"), Ct);

        Assert.True(later.IsSuccess);
        Assert.True(h.Policies.Get("chat").IsApproved(PipelineHarness.A1.Id));
    }

    [Fact]
    public async Task Call_WithWait_HeldUntilApprovedThenServed()
    {
        await using var h = await ApprovalHarness.CreateAsync();

        var call = h.CallAsync(ApprovalHarness.Request(wait: TimeSpan.FromSeconds(30)), Ct);
        var request = await WaitForRequestAsync(h);
        await h.Service.ApproveAsync(request.Id, ApprovalHarness.Operator, cancellationToken: Ct);
        var result = await call;

        Assert.True(result.IsSuccess);
        Assert.Equal(ApprovalStatus.Consumed, (await h.Store.GetAsync(request.Id, Ct))!.Status);
        Assert.Equal(0, h.Waiters.Count);
    }

    [Fact]
    public async Task Call_WithWait_RejectedWhileHeld_AnswersRejected()
    {
        await using var h = await ApprovalHarness.CreateAsync();

        var call = h.CallAsync(ApprovalHarness.Request(wait: TimeSpan.FromSeconds(30)), Ct);
        var request = await WaitForRequestAsync(h);
        await h.Service.RejectAsync(request.Id, ApprovalHarness.Operator, "too dear", Ct);
        var result = await call;

        Assert.Equal("approval_rejected", result.Error!.Code);
        Assert.Empty(h.Inner.Alpha.Calls);
    }

    [Fact]
    public async Task Call_WithWait_NoDecisionInTime_AnswersApprovalRequired()
    {
        await using var h = await ApprovalHarness.CreateAsync();

        var call = h.CallAsync(ApprovalHarness.Request(wait: TimeSpan.FromSeconds(5)), Ct);
        await WaitForRequestAsync(h);
        while (h.Waiters.Count == 0)
        {
            await Task.Delay(5, Ct);
        }

        h.Inner.Time.Advance(TimeSpan.FromSeconds(5));
        var result = await call;

        Assert.Equal("approval_required", result.Error!.Code);
        Assert.Equal(0, h.Waiters.Count);
    }

    [Fact]
    public async Task Call_WithWait_CallerGoesAway_StopsWaitingAndChangesNothing()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = h.CallAsync(ApprovalHarness.Request(wait: TimeSpan.FromSeconds(30)), caller.Token);
        var request = await WaitForRequestAsync(h);
        while (h.Waiters.Count == 0)
        {
            await Task.Delay(5, Ct);
        }

        await caller.CancelAsync().WaitAsync(Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(0, h.Waiters.Count);
        Assert.Equal(ApprovalStatus.Pending, (await h.Store.GetAsync(request.Id, Ct))!.Status);
    }

    private static async Task<ApprovalRequest> WaitForRequestAsync(ApprovalHarness h)
    {
        for (var i = 0; i < 2000; i++)
        {
            if (h.Store.Requests.Count > 0)
            {
                return h.Store.Requests[0];
            }

            await Task.Delay(5, Ct);
        }

        throw new TimeoutException("No approval request was stored.");
    }
}
