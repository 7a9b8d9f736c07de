using Helix.Core.Alerts;
using Helix.Core.Budgets;
using Helix.Core.OperationLog;
using Helix.Testing;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>
/// What every back-end of <see cref="IBudgetStore"/> and <see cref="IAlertStore"/> must do; spend is read from the
/// same back-end's <see cref="IOperationLogStore"/>.
/// </summary>
public abstract class BudgetStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_day = TestEntries.Epoch.Date;

    private BudgetStoresUnderTest? _stores;

    protected IBudgetStore Budgets => Stores.Budgets;

    protected IAlertStore Alerts => Stores.Alerts;

    protected IOperationLogStore Log => Stores.Log;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BudgetStoresUnderTest Stores => _stores ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    /// <summary>Creates the stores over a new, empty database.</summary>
    protected abstract Task<BudgetStoresUnderTest> CreateStoresAsync();

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
    public async Task PutBudgetAsync_SameScopeSubjectPeriod_ReplacesAndKeepsId()
    {
        var first = await Budgets.PutBudgetAsync(Budget(BudgetScope.User, "alice", 10m), Ct);
        var month = await Budgets.PutBudgetAsync(Budget(BudgetScope.User, "alice", 50m) with { Period = BudgetPeriod.Month }, Ct);

        var replaced = await Budgets.PutBudgetAsync(Budget(BudgetScope.User, "alice", 12.5m) with { Hard = false, Thresholds = [0.25m, 1m], TimeZone = "Europe/Lisbon" }, Ct);

        Assert.Equal(first.Id, replaced.Id);
        Assert.NotEqual(first.Id, month.Id);
        var all = await Budgets.GetBudgetsAsync(Ct);
        Assert.Equal(2, all.Count);
        var stored = Assert.Single(all, b => b.Id == first.Id);
        Assert.Equal(12.5m, stored.LimitUsd);
        Assert.False(stored.Hard);
        Assert.Equal([0.25m, 1m], stored.Thresholds);
        Assert.Equal("Europe/Lisbon", stored.TimeZone);
    }

    [Fact]
    public async Task DeleteBudgetAsync_ExistingAndUnknown_DeletesOnlyTheExisting()
    {
        var budget = await Budgets.PutBudgetAsync(Budget(BudgetScope.Global, BudgetConfig.GlobalSubject, 5m), Ct);

        Assert.True(await Budgets.DeleteBudgetAsync(budget.Id, Ct));
        Assert.False(await Budgets.DeleteBudgetAsync(budget.Id, Ct));
        Assert.Empty(await Budgets.GetBudgetsAsync(Ct));
    }

    [Fact]
    public async Task GetSpendNanosAsync_PerScope_SumsRowsStartedInTheWindowExactly()
    {
        await Log.AppendAsync(
        [
            TestEntries.Success("a", at: s_day.AddHours(1), operation: "chat", costUsd: 0.000000123m, user: "alice"),
            TestEntries.Success("b", at: s_day.AddHours(2), operation: "agent", costUsd: 1.5m, user: "bob"),
            TestEntries.Success("c", at: s_day.AddHours(23).AddMinutes(59), operation: "chat", costUsd: 2m, user: "alice"),
            TestEntries.Success("d", at: s_day.AddDays(1), operation: "chat", costUsd: 100m, user: "alice"),
            TestEntries.Failure("e", at: s_day.AddHours(3)),
        ], Ct);
        var (from, to) = (s_day, s_day.AddDays(1));

        Assert.Equal(3_500_000_123, await Budgets.GetSpendNanosAsync(BudgetScope.Global, BudgetConfig.GlobalSubject, from, to, Ct));
        Assert.Equal(2_000_000_123, await Budgets.GetSpendNanosAsync(BudgetScope.User, "alice", from, to, Ct));
        Assert.Equal(1_500_000_000, await Budgets.GetSpendNanosAsync(BudgetScope.Operation, "agent", from, to, Ct));
        Assert.Equal(3_500_000_123, await Budgets.GetSpendNanosAsync(BudgetScope.Key, "test-key", from, to, Ct));
        Assert.Equal(0, await Budgets.GetSpendNanosAsync(BudgetScope.Key, "other-key", from, to, Ct));
    }

    [Fact]
    public async Task GetSpendAsync_ByDayAndOperation_GroupsAndCountsCallsAndAttempts()
    {
        await Log.AppendAsync(
        [
            TestEntries.Success("a", at: s_day.AddHours(1), operation: "chat", costUsd: 1m),
            TestEntries.Success("a", attempt: 2, at: s_day.AddHours(1), operation: "chat", costUsd: 0.25m),
            TestEntries.Success("b", at: s_day.AddHours(5), operation: "agent", costUsd: 2m),
            TestEntries.Success("c", at: s_day.AddDays(1).AddHours(1), operation: "chat", costUsd: 4m),
        ], Ct);

        var rows = await Budgets.GetSpendAsync(new SpendQuery(BudgetPeriod.Day, SpendGrouping.Operation, s_day, s_day.AddDays(2)), Ct);

        Assert.Equal(
            [(s_day, "agent", 2_000_000_000L, 1L, 1L), (s_day, "chat", 1_250_000_000L, 1L, 2L), (s_day.AddDays(1), "chat", 4_000_000_000L, 1L, 1L)],
            rows.Select(r => (r.Bucket, r.Group!, r.SpentNanos, r.Calls, r.Attempts)));
        var months = await Budgets.GetSpendAsync(new SpendQuery(BudgetPeriod.Month, SpendGrouping.Model, s_day.AddDays(-40), s_day.AddDays(40)), Ct);
        var month = Assert.Single(months);
        Assert.Equal(new DateTimeOffset(s_day.Year, s_day.Month, 1, 0, 0, 0, TimeSpan.Zero), month.Bucket);
        Assert.Equal(7_250_000_000L, month.SpentNanos);
    }

    [Fact]
    public async Task GetHourlyActivityAsync_ByUser_BucketsPerHourAndSkipsRowsWithoutAUser()
    {
        await Log.AppendAsync(
        [
            TestEntries.Success("a", at: s_day.AddHours(1).AddMinutes(5), costUsd: 1m, user: "alice"),
            TestEntries.Success("b", at: s_day.AddHours(1).AddMinutes(55), costUsd: 2m, user: "alice"),
            TestEntries.Success("c", at: s_day.AddHours(2), costUsd: 4m, user: "alice"),
            TestEntries.Success("d", at: s_day.AddHours(1), costUsd: 8m),
        ], Ct);

        var buckets = await Budgets.GetHourlyActivityAsync(SpendGrouping.User, s_day, s_day.AddDays(1), Ct);

        Assert.Equal([(s_day.AddHours(1), 3_000_000_000L, 2L), (s_day.AddHours(2), 4_000_000_000L, 1L)], buckets.Select(b => (b.Hour, b.SpentNanos, b.Calls)));
        Assert.All(buckets, b => Assert.Equal("alice", b.Subject));
    }

    [Fact]
    public async Task TryAddAsync_OnceKey_FiresOnceEvenAfterResolve()
    {
        var first = await Alerts.TryAddAsync(Alert("budget:1:day:0.5", once: true), Ct);
        Assert.NotNull(first);
        Assert.Null(await Alerts.TryAddAsync(Alert("budget:1:day:0.5", once: true), Ct));

        await Alerts.AdvanceAsync(first.Id, AlertState.Resolved, s_day, Ct);

        Assert.Null(await Alerts.TryAddAsync(Alert("budget:1:day:0.5", once: true), Ct));
        Assert.NotNull(await Alerts.TryAddAsync(Alert("budget:1:day:0.8", once: true), Ct));
    }

    [Fact]
    public async Task TryAddAsync_OpenKey_OneOpenUntilResolvedThenAgain()
    {
        var first = await Alerts.TryAddAsync(Alert("anomaly_spend:operation:chat"), Ct);
        Assert.NotNull(first);
        Assert.Null(await Alerts.TryAddAsync(Alert("anomaly_spend:operation:chat"), Ct));
        var acknowledged = await Alerts.AdvanceAsync(first.Id, AlertState.Acknowledged, s_day.AddMinutes(1), Ct);
        Assert.Equal(AlertState.Acknowledged, acknowledged!.State);
        Assert.Null(await Alerts.TryAddAsync(Alert("anomaly_spend:operation:chat"), Ct));

        var resolved = await Alerts.AdvanceAsync(first.Id, AlertState.Resolved, s_day.AddMinutes(2), Ct);

        Assert.Equal(AlertState.Resolved, resolved!.State);
        Assert.Equal(s_day.AddMinutes(1), resolved.AcknowledgedAt);
        Assert.Equal(s_day.AddMinutes(2), resolved.ResolvedAt);
        Assert.NotNull(await Alerts.TryAddAsync(Alert("anomaly_spend:operation:chat"), Ct));
        Assert.Single(await Alerts.ListAsync(AlertState.Open, 10, Ct));
        Assert.Single(await Alerts.ListAsync(AlertState.Resolved, 10, Ct));
        Assert.Null(await Alerts.AdvanceAsync(999, AlertState.Resolved, s_day, Ct));
    }

    [Fact]
    public async Task AdvanceAsync_ResolvedThenAcknowledge_StaysResolved()
    {
        var alert = await Alerts.TryAddAsync(Alert("k"), Ct);
        await Alerts.AdvanceAsync(alert!.Id, AlertState.Resolved, s_day, Ct);

        var after = await Alerts.AdvanceAsync(alert.Id, AlertState.Acknowledged, s_day.AddHours(1), Ct);

        Assert.Equal(AlertState.Resolved, after!.State);
        Assert.Null(after.AcknowledgedAt);
    }

    [Fact]
    public async Task Outbox_AlertWithTwoNotifiers_QueuesOneDeliveryEachUntilDelivered()
    {
        await Alerts.PutNotifierAsync(Notifier("ops", NotifierKind.Slack), Ct);
        await Alerts.PutNotifierAsync(Notifier("hook", NotifierKind.Webhook) with { Secret = "s3cret" }, Ct);
        var alert = await Alerts.TryAddAsync(Alert("k", spent: 8.5m), Ct);

        var due = await Alerts.GetDueAsync(s_day, 10, Ct);

        Assert.Equal(["hook", "ops"], due.Select(d => d.Notifier.Name).Order(StringComparer.Ordinal));
        Assert.All(due, d => Assert.Equal(alert!.Id, d.Alert.Id));
        Assert.All(due, d => Assert.Equal(8.5m, d.Alert.SpentUsd));
        Assert.Equal("s3cret", Assert.Single(due, d => d.Notifier.Name == "hook").Notifier.Secret);

        var hook = due.Single(d => d.Notifier.Name == "hook");
        var ops = due.Single(d => d.Notifier.Name == "ops");
        await Alerts.MarkDeliveredAsync(ops.Id, s_day, Ct);
        await Alerts.MarkFailedAsync(hook.Id, "HTTP 500", s_day.AddSeconds(5), Ct);

        Assert.Empty(await Alerts.GetDueAsync(s_day.AddSeconds(4), 10, Ct));
        var retry = Assert.Single(await Alerts.GetDueAsync(s_day.AddSeconds(5), 10, Ct));
        Assert.Equal(hook.Id, retry.Id);
        Assert.Equal(1, retry.Attempts);
    }

    [Fact]
    public async Task DeleteNotifierAsync_WithPendingDeliveries_DropsThem()
    {
        await Alerts.PutNotifierAsync(Notifier("ops", NotifierKind.Discord), Ct);
        await Alerts.TryAddAsync(Alert("k"), Ct);

        Assert.True(await Alerts.DeleteNotifierAsync("ops", Ct));

        Assert.False(await Alerts.DeleteNotifierAsync("ops", Ct));
        Assert.Empty(await Alerts.GetDueAsync(s_day.AddDays(1), 10, Ct));
        Assert.Empty(await Alerts.GetNotifiersAsync(Ct));
    }

    private static BudgetConfig Budget(BudgetScope scope, string subject, decimal limit) => new()
    {
        Scope = scope,
        Subject = subject,
        Period = BudgetPeriod.Day,
        LimitUsd = limit,
        UpdatedAt = s_day,
    };

    private static AlertRecord Alert(string key, bool once = false, decimal? spent = null) => new()
    {
        Type = "budget_threshold",
        Severity = "warning",
        Scope = "user",
        Subject = "alice",
        Period = "day",
        Threshold = 0.5m,
        SpentUsd = spent,
        LimitUsd = 10m,
        Message = "half spent",
        CreatedAt = s_day,
        DedupeKey = key,
        Once = once,
    };

    private static NotifierConfig Notifier(string name, NotifierKind kind) => new()
    {
        Name = name,
        Kind = kind,
        Url = new Uri("https://hooks.example/" + name),
        UpdatedAt = s_day,
    };
}
