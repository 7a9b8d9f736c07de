using Helix.Core.Recommendations;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>What every back-end of <see cref="IRecommendationStore"/> must do: Helix's computed set replaced, proposals and dismissals kept.</summary>
public abstract class RecommendationStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_at = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    private IntelligenceStoresUnderTest? _stores;

    protected IRecommendationStore Recommendations => Stores.Recommendations;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IntelligenceStoresUnderTest Stores => _stores ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    /// <summary>Creates the stores over a new, migrated database.</summary>
    protected abstract Task<IntelligenceStoresUnderTest> CreateStoresAsync();

    public async ValueTask InitializeAsync() => _stores = await CreateStoresAsync();

    public async ValueTask DisposeAsync()
    {
        if (_stores?.Owner is { } owner)
        {
            await owner.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task InsertAsync_ThenGet_ReturnsEveryFieldWithItsId()
    {
        var proposal = Computed("switch_model", "chat", "gemini/gemini-2.5-flash", 12.345678901m) with
        {
            Source = "proposal",
            ProposedBy = "key_ops",
            ServiceTier = "flex",
            Evidence = """{"calls": 1200, "note": "a \"quoted\" ünïcode"}""",
        };

        var stored = await Recommendations.InsertAsync(proposal, Ct);
        var noSavings = await Recommendations.InsertAsync(Computed("cap_output", "agent", null, null), Ct);

        Assert.True(stored.Id > 0);
        Assert.True(noSavings.Id > stored.Id);
        Assert.Equal(proposal with { Id = stored.Id }, await Recommendations.GetAsync(stored.Id, Ct));
        Assert.Equal(noSavings, await Recommendations.GetAsync(noSavings.Id, Ct));
        Assert.Null(await Recommendations.GetAsync(noSavings.Id + 100, Ct));
        Assert.Equal([noSavings.Id, stored.Id], (await Recommendations.ListAsync(Ct)).Select(r => r.Id));
    }

    [Fact]
    public async Task ReplaceComputedAsync_UpdatesOpenOnesKeepsDismissedAndProposalsRemovesStale()
    {
        var kept = await Recommendations.InsertAsync(Computed("switch_model", "chat", "gemini/gemini-2.5-flash", 10m), Ct);
        var dismissed = await Recommendations.InsertAsync(Computed("switch_model", "agent", "gemini/gemini-2.5-flash", 5m), Ct);
        var stale = await Recommendations.InsertAsync(Computed("batch", "chat", null, 1m), Ct);
        var proposal = await Recommendations.InsertAsync(Computed("batch", "embed", null, 2m) with { Source = "proposal", ProposedBy = "alice" }, Ct);
        Assert.True(await Recommendations.DismissAsync(dismissed.Id, "bob", "not now", s_at.AddMinutes(1), Ct));
        var later = s_at.AddHours(1);

        await Recommendations.ReplaceComputedAsync(
        [
            Computed("switch_model", "CHAT", "Gemini/Gemini-2.5-Flash", 11.5m) with { Evidence = """{"calls":2}""", UpdatedAt = later, CreatedAt = later },
            Computed("switch_model", "agent", "gemini/gemini-2.5-flash", 6m) with { UpdatedAt = later, CreatedAt = later },
            Computed("service_tier", "chat", null, null) with { ServiceTier = "flex", UpdatedAt = later, CreatedAt = later },
        ], Ct);

        var all = await Recommendations.ListAsync(Ct);
        Assert.Equal(4, all.Count);
        var updated = Assert.Single(all, r => r.Id == kept.Id);
        Assert.Equal(kept with { Evidence = """{"calls":2}""", ProjectedMonthlySavingsUsd = 11.5m, UpdatedAt = later }, updated);
        var stillDismissed = Assert.Single(all, r => r.Id == dismissed.Id);
        Assert.Equal((RecommendationStatus.Dismissed, 5m, "bob", "not now", s_at.AddMinutes(1)),
            (stillDismissed.Status, stillDismissed.ProjectedMonthlySavingsUsd!.Value, stillDismissed.DismissedBy!, stillDismissed.DismissReason!, stillDismissed.UpdatedAt));
        Assert.DoesNotContain(all, r => r.Id == stale.Id);
        Assert.Equal(proposal, Assert.Single(all, r => r.Id == proposal.Id));
        var added = Assert.Single(all, r => r.Kind == "service_tier");
        Assert.Equal(("chat", "flex", RecommendationStatus.Open, (decimal?)null), (added.Operation, added.ServiceTier, added.Status, added.ProjectedMonthlySavingsUsd));
        Assert.Equal(all.Max(r => r.Id), added.Id);
    }

    [Fact]
    public async Task ReplaceComputedAsync_EmptySet_RemovesOnlyOpenComputedOnes()
    {
        var open = await Recommendations.InsertAsync(Computed("batch", "chat", null, 1m), Ct);
        var dismissed = await Recommendations.InsertAsync(Computed("batch", "agent", null, 1m), Ct);
        var proposal = await Recommendations.InsertAsync(Computed("batch", "embed", null, 1m) with { Source = "proposal", ProposedBy = "alice" }, Ct);
        Assert.True(await Recommendations.DismissAsync(dismissed.Id, "bob", "no", s_at, Ct));

        await Recommendations.ReplaceComputedAsync([], Ct);

        Assert.Equal([proposal.Id, dismissed.Id], (await Recommendations.ListAsync(Ct)).Select(r => r.Id));
        Assert.Null(await Recommendations.GetAsync(open.Id, Ct));
    }

    [Fact]
    public async Task ReplaceComputedAsync_SeveralAtOnce_StoreEachRecommendationOnce()
    {
        Recommendation[] computed = [Computed("batch", "chat", null, 1m), Computed("switch_model", "agent", "gemini/gemini-2.5-flash", 2m)];

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Recommendations.ReplaceComputedAsync(computed, Ct)));

        var all = await Recommendations.ListAsync(Ct);
        Assert.Equal(["batch", "switch_model"], all.Select(r => r.Kind).Order());
    }

    [Fact]
    public async Task DismissAsync_Open_DismissesOnce()
    {
        var open = await Recommendations.InsertAsync(Computed("batch", "chat", null, 1m), Ct);

        Assert.True(await Recommendations.DismissAsync(open.Id, "bob", "too risky", s_at.AddDays(1), Ct));
        Assert.False(await Recommendations.DismissAsync(open.Id, "carol", "again", s_at.AddDays(2), Ct));
        Assert.False(await Recommendations.DismissAsync(open.Id + 1, "carol", "unknown", s_at.AddDays(2), Ct));

        Assert.Equal(
            open with { Status = RecommendationStatus.Dismissed, DismissedBy = "bob", DismissReason = "too risky", UpdatedAt = s_at.AddDays(1) },
            await Recommendations.GetAsync(open.Id, Ct));
    }

    [Fact]
    public async Task ApplyThroughApproval_SetFindMarkApplied_AppliesOnceUnderTheLatestApproval()
    {
        var open = await Recommendations.InsertAsync(Computed("switch_model", "chat", "gemini/gemini-2.5-flash", 3m), Ct);

        Assert.True(await Recommendations.SetApprovalAsync(open.Id, "apr_first", s_at.AddMinutes(1), Ct));
        Assert.True(await Recommendations.SetApprovalAsync(open.Id, "apr_second", s_at.AddMinutes(2), Ct));
        Assert.False(await Recommendations.SetApprovalAsync(open.Id + 1, "apr_none", s_at.AddMinutes(2), Ct));
        Assert.Null(await Recommendations.FindByApprovalAsync("apr_first", Ct));
        Assert.Equal(open.Id, (await Recommendations.FindByApprovalAsync("apr_second", Ct))!.Id);

        Assert.False(await Recommendations.MarkAppliedAsync(open.Id, "apr_first", "olive", s_at.AddMinutes(3), Ct));
        Assert.True(await Recommendations.MarkAppliedAsync(open.Id, "apr_second", "olive", s_at.AddMinutes(3), Ct));
        Assert.False(await Recommendations.MarkAppliedAsync(open.Id, "apr_second", "olive", s_at.AddMinutes(4), Ct));

        Assert.Equal(
            open with
            {
                Status = RecommendationStatus.Applied, ApprovalId = "apr_second", AppliedAt = s_at.AddMinutes(3), AppliedBy = "olive",
                UpdatedAt = s_at.AddMinutes(3),
            },
            await Recommendations.GetAsync(open.Id, Ct));
        Assert.False(await Recommendations.DismissAsync(open.Id, "bob", "too late", s_at.AddMinutes(5), Ct));
        Assert.False(await Recommendations.SetApprovalAsync(open.Id, "apr_third", s_at.AddMinutes(5), Ct));
    }

    [Fact]
    public async Task ReplaceComputedAsync_LeavesOnesAskedToBeAppliedAsTheyAre()
    {
        var applying = await Recommendations.InsertAsync(Computed("switch_model", "chat", "gemini/gemini-2.5-flash", 3m), Ct);
        Assert.True(await Recommendations.SetApprovalAsync(applying.Id, "apr_pending", s_at.AddMinutes(1), Ct));
        var before = await Recommendations.GetAsync(applying.Id, Ct);

        await Recommendations.ReplaceComputedAsync([], Ct);
        Assert.Equal(before, await Recommendations.GetAsync(applying.Id, Ct));

        await Recommendations.ReplaceComputedAsync(
            [Computed("switch_model", "chat", "gemini/gemini-2.5-flash", 9m) with { UpdatedAt = s_at.AddHours(1) }], Ct);
        Assert.Equal(before, Assert.Single(await Recommendations.ListAsync(Ct)));
    }

    private static Recommendation Computed(string kind, string operation, string? model, decimal? savings) => new()
    {
        Kind = kind,
        Operation = operation,
        Model = model,
        Evidence = """{"calls":1}""",
        ProjectedMonthlySavingsUsd = savings,
        Source = "helix",
        ProposedBy = "helix",
        CreatedAt = s_at,
        UpdatedAt = s_at,
    };
}
