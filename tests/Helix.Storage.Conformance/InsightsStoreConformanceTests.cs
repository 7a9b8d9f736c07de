using Helix.Core.Feedback;
using Helix.Core.Insights;
using Helix.Core.OperationLog;
using Helix.Testing;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>
/// What every back-end of <see cref="IInsightsStore"/> must answer for the same log rows: the dashboard's charts (from
/// hourly rollups kept as rows arrive), its log search and call detail, and the quality joined from feedback.
/// </summary>
public abstract class InsightsStoreConformanceTests : IAsyncLifetime
{
    private InsightsStoresUnderTest? _stores;

    protected IInsightsStore Insights => Stores.Insights;

    protected IOperationLogStore Log => Stores.Log;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private InsightsStoresUnderTest Stores => _stores ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    /// <summary>Creates the stores over a new, migrated database.</summary>
    protected abstract Task<InsightsStoresUnderTest> CreateStoresAsync();

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
    public async Task GetHourlyUsageAsync_RowsAppended_AreRolledUpPerHourOperationAndModel()
    {
        var at = TestEntries.Epoch;
        await Log.AppendAsync(
        [
            TestEntries.Success("r1", at: at, costUsd: 0.000001234m),
            TestEntries.Failure("r2", at: at.AddMinutes(1)),
            TestEntries.Success("r2", attempt: 2, at: at.AddMinutes(1), costUsd: 0.5m),
            TestEntries.Success("r3", at: at.AddHours(1), operation: "agent", model: "gemini/gemini-2.5-pro", costUsd: 1m),
        ], Ct);

        var rows = await Insights.GetHourlyUsageAsync(at, at.AddHours(2), Ct);

        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal((at, "chat", "openai/gpt-4o-mini"), (first.Hour, first.Operation, first.Model));
        Assert.Equal((2L, 3L, 1L), (first.Calls, first.Attempts, first.Failures));
        Assert.Equal(500_001_234L, first.CostNanos);
        Assert.Equal((at.AddHours(1), "agent", 1_000_000_000L), (rows[1].Hour, rows[1].Operation, rows[1].CostNanos));
        Assert.Empty(await Insights.GetHourlyUsageAsync(at.AddHours(2), at.AddHours(3), Ct));
    }

    [Fact]
    public async Task GetHourlyUsageAsync_SeveralBatchesAndModels_AddUpPerKeyInKeyOrder()
    {
        var at = TestEntries.Epoch;
        await Log.AppendAsync([TestEntries.Success("a", at: at, model: "openai/gpt-4o", costUsd: 0.25m), TestEntries.Success("b", at: at.AddMinutes(59))], Ct);
        await Log.AppendAsync(
        [
            TestEntries.Success("c", at: at.AddMinutes(30), model: "openai/gpt-4o", costUsd: 0.000000001m),
            TestEntries.Success("d", at: at.AddMinutes(31)) with { Status = AttemptStatus.Interrupted, CostUsd = null, CostStatus = Core.Pricing.CostStatus.Unpriced },
            TestEntries.Success("e", at: at.AddMinutes(32), operation: "agent"),
        ], Ct);

        var rows = await Insights.GetHourlyUsageAsync(at, at.AddHours(1), Ct);

        Assert.Equal(
            [("agent", "openai/gpt-4o-mini", 1L, 1L, 0L, 100_000L), ("chat", "openai/gpt-4o", 2L, 2L, 0L, 250_000_001L), ("chat", "openai/gpt-4o-mini", 2L, 2L, 1L, 100_000L)],
            rows.Select(r => (r.Operation, r.Model, r.Calls, r.Attempts, r.Failures, r.CostNanos)));
        Assert.All(rows, r => Assert.Equal(at, r.Hour));
    }

    [Fact]
    public async Task GetHourlyUsageAsync_RangeStartingMidHour_LeavesOutTheHourBegunBeforeIt()
    {
        var at = TestEntries.Epoch;
        await Log.AppendAsync([TestEntries.Success("a", at: at.AddMinutes(10)), TestEntries.Success("b", at: at.AddHours(1).AddMinutes(10))], Ct);

        var fromMidHour = await Insights.GetHourlyUsageAsync(at.AddMinutes(5), at.AddHours(1).AddTicks(1), Ct);
        var toHourStart = await Insights.GetHourlyUsageAsync(at, at.AddHours(1), Ct);

        Assert.Equal([at.AddHours(1)], fromMidHour.Select(r => r.Hour));
        Assert.Equal([at], toHourStart.Select(r => r.Hour));
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(1)]
    [InlineData(1.2)]
    [InlineData(699)]
    [InlineData(700)]
    [InlineData(700.5)]
    [InlineData(120_000)]
    [InlineData(250_000)]
    public async Task GetLatencyAsync_SuccessfulAttempt_LandsInTheBucketOfLatencyHistogram(double latencyMs)
    {
        await Log.AppendAsync([TestEntries.Success("r1") with { LatencyMs = latencyMs }, TestEntries.Failure("r2") with { LatencyMs = latencyMs }], Ct);

        var counts = await Insights.GetLatencyAsync(TestEntries.Epoch, TestEntries.Epoch.AddHours(1), Ct);

        var count = Assert.Single(counts);
        Assert.Equal(LatencyHistogram.BucketOf(latencyMs), count.Bucket);
        Assert.Equal((TestEntries.Epoch, "openai/gpt-4o-mini", 1L), (count.Hour, count.Model, count.Count));
    }

    [Fact]
    public async Task GetLatencyAsync_ManyAttempts_CountPerHourModelAndBucket()
    {
        var at = TestEntries.Epoch;
        await Log.AppendAsync(
        [
            TestEntries.Success("a", at: at) with { LatencyMs = 40 },
            TestEntries.Success("b", at: at.AddMinutes(1)) with { LatencyMs = 45 },
            TestEntries.Success("c", at: at.AddMinutes(2), model: "openai/gpt-4o") with { LatencyMs = 45 },
            TestEntries.Success("d", at: at.AddHours(1)) with { LatencyMs = 900 },
        ], Ct);
        await Log.AppendAsync([TestEntries.Success("e", at: at.AddMinutes(3)) with { LatencyMs = 50 }], Ct);

        var counts = await Insights.GetLatencyAsync(at, at.AddHours(2), Ct);

        Assert.Equal(
            [(at, "openai/gpt-4o", LatencyHistogram.BucketOf(45), 1L), (at, "openai/gpt-4o-mini", LatencyHistogram.BucketOf(45), 3L), (at.AddHours(1), "openai/gpt-4o-mini", LatencyHistogram.BucketOf(900), 1L)],
            counts.Select(c => (c.Hour, c.Model, c.Bucket, c.Count)).Order());
    }

    [Fact]
    public async Task SearchAsync_Filters_ReturnOnlyMatchingRowsNewestFirstWithACursor()
    {
        var at = TestEntries.Epoch;
        await Log.AppendAsync(
        [
            TestEntries.Success("a", at: at, model: "openai/gpt-4o"),
            TestEntries.Failure("b", at: at.AddMinutes(1)),
            TestEntries.Success("c", at: at.AddMinutes(2), model: "openai/gpt-4o", user: "alice"),
            TestEntries.Success("d", at: at.AddMinutes(3), model: "openai/gpt-4o"),
            TestEntries.Success("e", at: at.AddMinutes(4), operation: "agent"),
        ], Ct);

        var first = await Insights.SearchAsync(new LogSearch(Model: "openai/gpt-4o", Status: AttemptStatus.Success, Limit: 2), Ct);
        var second = await Insights.SearchAsync(new LogSearch(Model: "openai/gpt-4o", Status: AttemptStatus.Success, Limit: 2, BeforeId: first.NextBeforeId), Ct);
        var failed = await Insights.SearchAsync(new LogSearch(Status: AttemptStatus.Failed), Ct);
        var alice = await Insights.SearchAsync(new LogSearch(User: "alice", From: at.AddMinutes(2), To: at.AddMinutes(3)), Ct);
        var agent = await Insights.SearchAsync(new LogSearch(Operation: "agent"), Ct);
        var window = await Insights.SearchAsync(new LogSearch(From: at.AddMinutes(1), To: at.AddMinutes(3)), Ct);
        var all = await Insights.SearchAsync(new LogSearch(Operation: "", Model: ""), Ct);

        Assert.Equal(["d", "c"], first.Items.Select(e => e.RequestId));
        Assert.Equal(["a"], second.Items.Select(e => e.RequestId));
        Assert.Null(second.NextBeforeId);
        Assert.Equal("b", Assert.Single(failed.Items).RequestId);
        Assert.Equal("c", Assert.Single(alice.Items).RequestId);
        Assert.Equal("e", Assert.Single(agent.Items).RequestId);
        Assert.Equal(["c", "b"], window.Items.Select(e => e.RequestId));
        Assert.Equal(["e", "d", "c", "b", "a"], all.Items.Select(e => e.RequestId));
    }

    [Fact]
    public async Task GetCallAsync_Attempts_FirstAttemptFirstWithTheirExperimentAndArm()
    {
        await Log.AppendAsync(
        [
            TestEntries.Success("r1", attempt: 2, model: "gemini/gemini-2.5-flash") with { ExperimentId = "exp_1", ExperimentArm = "candidate-1" },
            TestEntries.Failure("r1") with { ExperimentId = "exp_1", ExperimentArm = "candidate-1" },
            TestEntries.Success("r2"),
        ], Ct);

        var call = await Insights.GetCallAsync("r1", Ct);
        var other = Assert.Single(await Insights.GetCallAsync("r2", Ct));

        Assert.Equal([(1, AttemptStatus.Failed), (2, AttemptStatus.Success)], call.Select(e => (e.Attempt, e.Status)));
        Assert.All(call, e => Assert.Equal(("exp_1", "candidate-1"), (e.ExperimentId, e.ExperimentArm)));
        Assert.Equal("gemini/gemini-2.5-flash", call[1].Model);
        Assert.Equal(((string?)null, (string?)null), (other.ExperimentId, other.ExperimentArm));
        Assert.Empty(await Insights.GetCallAsync("unknown", Ct));
    }

    [Fact]
    public async Task GetQualityAsync_Feedback_IsJoinedToTheModelThatAnswered()
    {
        var feedback = Stores.Feedback;
        Assert.SkipWhen(feedback is null, "This back-end has no feedback store yet.");
        await Log.AppendAsync([TestEntries.Failure("r1"), TestEntries.Success("r1", attempt: 2, model: "gemini/gemini-2.5-flash"), TestEntries.Success("r2")], Ct);
        var at = TestEntries.Epoch.AddMinutes(5);

        Assert.True(await feedback!.AddAsync(new CallFeedback("r1", 5, 1m, "great", "app", at), Ct));
        Assert.True(await feedback.AddAsync(new CallFeedback("r1", 1, 0.5m, null, "app", at), Ct));
        Assert.True(await feedback.AddAsync(new CallFeedback("r2", -1, 0m, null, "app", at), Ct));
        Assert.True(await feedback.AddAsync(new CallFeedback("r2", -1, 0m, null, "app", TestEntries.Epoch.AddHours(1)), Ct));
        Assert.False(await feedback.AddAsync(new CallFeedback("unknown", 1, 1m, null, "app", at), Ct));

        var quality = await Insights.GetQualityAsync(TestEntries.Epoch, TestEntries.Epoch.AddHours(1), Ct);

        Assert.Equal(
            [("gemini/gemini-2.5-flash", 2L, 0.75m), ("openai/gpt-4o-mini", 1L, 0m)],
            quality.Select(q => (q.Model, q.Ratings, q.MeanQuality)));
        Assert.Equal(2, (await feedback.ListAsync("r1", Ct)).Count);
    }
}
