using Helix.Core.Approvals;
using Helix.Core.Principals;
using Xunit;

namespace Helix.Core.Tests.Approvals;

public sealed class ApprovalServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Approve_ByAnAgent_Forbidden()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);

        var result = await h.Service.ApproveAsync(id, ApprovalHarness.Agent, cancellationToken: Ct);

        Assert.Equal(("forbidden", 403), (result.Error!.Code, result.Error.StatusCode));
        Assert.Contains("agent", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Pending, (await h.Store.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task Approve_AnAgentsOwnRequest_Forbidden()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var asked = await h.CallAsync(ApprovalHarness.Request(principal: ApprovalHarness.Agent), Ct);
        var id = asked.Error!.Approval!.Id;

        var approve = await h.Service.ApproveAsync(id, ApprovalHarness.Agent, cancellationToken: Ct);
        var reject = await h.Service.RejectAsync(id, ApprovalHarness.Agent, "never mind", Ct);

        Assert.Equal("forbidden", approve.Error!.Code);
        Assert.Equal("forbidden", reject.Error!.Code);
        Assert.Equal(ApprovalStatus.Pending, (await h.Store.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task Approve_AnAgentWhatever_ItsNameOrId_IsNeverADecider()
    {
        Assert.False(ApprovalService.MayDecide(new Principal("admin", "admin", PrincipalRole.Agent)));
        Assert.False(ApprovalService.MayDecide(ApprovalHarness.Viewer));
        Assert.False(ApprovalService.MayDecide(Principal.Anonymous));
        Assert.True(ApprovalService.MayDecide(ApprovalHarness.Operator));
        Assert.True(ApprovalService.MayDecide(ApprovalHarness.Admin));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Approve_ByAViewer_Forbidden()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);

        var result = await h.Service.ApproveAsync(id, ApprovalHarness.Viewer, cancellationToken: Ct);

        Assert.Equal("forbidden", result.Error!.Code);
    }

    [Fact]
    public async Task Approve_ByTheRequesterEvenAnAdmin_Forbidden()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var asked = await h.CallAsync(ApprovalHarness.Request(principal: ApprovalHarness.Admin), Ct);
        var id = asked.Error!.Approval!.Id;

        var result = await h.Service.ApproveAsync(id, ApprovalHarness.Admin, cancellationToken: Ct);
        var byAnother = await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct);

        Assert.Equal("forbidden", result.Error!.Code);
        Assert.Contains("may not decide it", result.Error.Message, StringComparison.Ordinal);
        Assert.True(byAnother.IsSuccess);
        Assert.Equal(("key_op", "Olga (operator)"), (byAnother.Value.After.DecidedBy, byAnother.Value.After.DecidedByName));
    }

    [Fact]
    public async Task Reject_WithoutReason_RefusedAndNothingChanges()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);

        var empty = await h.Service.RejectAsync(id, ApprovalHarness.Operator, "  ", Ct);

        Assert.Equal(("reason_required", 400), (empty.Error!.Code, empty.Error.StatusCode));
        Assert.Equal(ApprovalStatus.Pending, (await h.Store.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task Decide_Twice_TheSecondIsNotPending()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);

        var approved = await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct);
        var rejectedAfter = await h.Service.RejectAsync(id, ApprovalHarness.Admin, "changed my mind", Ct);

        Assert.True(approved.IsSuccess);
        Assert.Equal(("approval_not_pending", 409), (rejectedAfter.Error!.Code, rejectedAfter.Error.StatusCode));
        Assert.Equal(ApprovalStatus.Approved, (await h.Store.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task Approve_AfterExpiry_NotPendingButExpired()
    {
        await using var h = await ApprovalHarness.CreateAsync();
        var id = await h.AskAsync(Ct);
        h.Inner.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var result = await h.Service.ApproveAsync(id, ApprovalHarness.Operator, cancellationToken: Ct);
        var expired = await h.Service.ListAsync(ApprovalStatus.Expired, 10, Ct);

        Assert.Equal("approval_not_pending", result.Error!.Code);
        Assert.Contains("expired", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(id, Assert.Single(expired).Id);
    }

    [Fact]
    public async Task Approve_UnknownId_NotFound()
    {
        await using var h = await ApprovalHarness.CreateAsync();

        var result = await h.Service.ApproveAsync("apr_missing", ApprovalHarness.Operator, cancellationToken: Ct);

        Assert.Equal(("approval_not_found", 404), (result.Error!.Code, result.Error.StatusCode));
    }
}
