using Helix.Core.Budgets;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.Budgets;

public sealed class BudgetLedgerTests
{
    private static readonly DateTimeOffset s_beforeMidnight = new(2026, 3, 2, 23, 59, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryReserve_200ConcurrentAgainstRoomForExactly10_Exactly10Held()
    {
        var (ledger, _, _) = Create(Budget(1, BudgetScope.Operation, "chat", 1m));
        const long cost = UsdNanos.PerUsd / 10;

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            ledger.TryReserve(new BudgetHold(), "chat", null, null, cost, out _), TestContext.Current.CancellationToken)));

        Assert.Equal(10, results.Count(r => r));
        var counter = ledger.Snapshot.Accounts[0].CounterAt(s_beforeMidnight);
        Assert.Equal(UsdNanos.PerUsd, counter.UsedNanos);
        Assert.Equal(UsdNanos.PerUsd, counter.ReservedNanos);
    }

    [Fact]
    public void TryReserve_SecondBudgetRefuses_ReleasesTheFirstAndNamesTheRefusingOne()
    {
        var (ledger, time, _) = Create(Budget(1, BudgetScope.Global, BudgetConfig.GlobalSubject, 100m), Budget(2, BudgetScope.User, "alice", 1m));

        var held = ledger.TryReserve(new BudgetHold(), "chat", "alice", null, UsdNanos.Ceiling(1.5m), out var refusal);

        Assert.False(held);
        Assert.Equal(2, refusal.Account.Config.Id);
        Assert.Equal(s_beforeMidnight.Date.AddDays(1), refusal.ResetAt);
        Assert.Contains("user 'alice' day budget", refusal.Describe(), StringComparison.Ordinal);
        Assert.All(ledger.Snapshot.Accounts, a => Assert.Equal(0, a.CounterAt(time.GetUtcNow()).UsedNanos));
    }

    [Fact]
    public void TryReserve_SoftBudget_NeverRefuses()
    {
        var (ledger, _, _) = Create(Budget(1, BudgetScope.Global, BudgetConfig.GlobalSubject, 1m) with { Hard = false });

        Assert.True(ledger.TryReserve(new BudgetHold(), "chat", null, null, 5 * UsdNanos.PerUsd, out _));
        Assert.True(ledger.TryReserve(new BudgetHold(), "chat", null, null, 5 * UsdNanos.PerUsd, out _));
    }

    [Fact]
    public void TryReserve_ZeroWorstCaseOnExhaustedBudget_Refuses()
    {
        var (ledger, _, _) = Create(Budget(1, BudgetScope.Global, BudgetConfig.GlobalSubject, 1m));
        var hold = new BudgetHold();
        Assert.True(ledger.TryReserve(hold, "chat", null, null, UsdNanos.PerUsd, out _));
        ledger.Settle(hold, UsdNanos.PerUsd);

        Assert.False(ledger.TryReserve(new BudgetHold(), "chat", null, null, 0, out _));
    }

    [Fact]
    public void SettleAndRelease_Repeated_EndTheHoldOnce()
    {
        var (ledger, time, _) = Create(Budget(1, BudgetScope.Global, BudgetConfig.GlobalSubject, 10m));
        var hold = new BudgetHold();
        Assert.True(ledger.TryReserve(hold, "chat", null, null, 3 * UsdNanos.PerUsd, out _));

        Assert.True(ledger.Settle(hold, UsdNanos.PerUsd));
        Assert.False(ledger.Settle(hold, UsdNanos.PerUsd));
        Assert.False(BudgetLedger.Release(hold));

        var counter = ledger.Snapshot.Accounts[0].CounterAt(time.GetUtcNow());
        Assert.Equal(UsdNanos.PerUsd, counter.SpentNanos);
        Assert.Equal(0, counter.ReservedNanos);
        Assert.Equal(UsdNanos.PerUsd, counter.UsedNanos);
    }

    [Fact]
    public void Settle_ReservedBeforeMidnight_CountsInTheDayItWasReservedInAndTheNewDayStartsEmpty()
    {
        var (ledger, time, _) = Create(Budget(1, BudgetScope.Global, BudgetConfig.GlobalSubject, 1m));
        var hold = new BudgetHold();
        Assert.True(ledger.TryReserve(hold, "chat", null, null, UsdNanos.PerUsd, out _));
        var yesterday = ledger.Snapshot.Accounts[0].CounterAt(time.GetUtcNow());
        Assert.False(ledger.TryReserve(new BudgetHold(), "chat", null, null, 1, out _));

        time.Advance(TimeSpan.FromMinutes(2));
        var today = ledger.Snapshot.Accounts[0].CounterAt(time.GetUtcNow());
        ledger.Settle(hold, UsdNanos.PerUsd / 2);

        Assert.NotSame(yesterday, today);
        Assert.Equal(UsdNanos.PerUsd / 2, yesterday.SpentNanos);
        Assert.Equal(0, yesterday.ReservedNanos);
        Assert.Equal(0, today.UsedNanos);
        Assert.Equal(s_beforeMidnight.Date.AddDays(1), today.Window.Start);
        Assert.True(ledger.TryReserve(new BudgetHold(), "chat", null, null, UsdNanos.PerUsd, out _));
    }

    [Fact]
    public void Settle_CrossingThresholds_ReportsEachOncePerPeriod()
    {
        var (ledger, time, sink) = Create(Budget(1, BudgetScope.User, "alice", 10m));
        void Spend(decimal usd)
        {
            var hold = new BudgetHold();
            Assert.True(ledger.TryReserve(hold, "chat", "alice", null, UsdNanos.Ceiling(usd), out _));
            ledger.Settle(hold, UsdNanos.Round(usd));
        }

        Spend(4m);
        Assert.Empty(sink.Crossings);
        Spend(1m);
        Spend(0.5m);
        Spend(3m);
        Spend(1.5m);

        Assert.Equal([0.5m, 0.8m, 1.0m], sink.Crossings.Select(c => c.Threshold));
        Assert.Equal(5 * UsdNanos.PerUsd, sink.Crossings[0].SpentNanos);

        time.Advance(TimeSpan.FromMinutes(2));
        Spend(6m);
        Assert.Equal([0.5m, 0.8m, 1.0m, 0.5m], sink.Crossings.Select(c => c.Threshold));
        Assert.Equal(s_beforeMidnight.Date.AddDays(1), sink.Crossings[^1].Window.Start);
    }

    [Fact]
    public void Publish_SameBudgetNewLimit_KeepsItsCounter()
    {
        var (ledger, time, _) = Create(Budget(1, BudgetScope.Global, BudgetConfig.GlobalSubject, 1m));
        Assert.True(ledger.TryReserve(new BudgetHold(), "chat", null, null, UsdNanos.PerUsd, out _));

        var fresh = ledger.Publish([Budget(1, BudgetScope.Global, BudgetConfig.GlobalSubject, 2m), Budget(2, BudgetScope.Key, "app", 1m)]);

        Assert.Equal([2L], fresh.Select(a => a.Config.Id));
        Assert.Equal(UsdNanos.PerUsd, ledger.Snapshot.ById[1].CounterAt(time.GetUtcNow()).ReservedNanos);
        Assert.True(ledger.TryReserve(new BudgetHold(), "chat", null, null, UsdNanos.PerUsd, out _));
        Assert.False(ledger.TryReserve(new BudgetHold(), "chat", null, "app", 1, out var refusal));
        Assert.Equal(1, refusal.Account.Config.Id);
    }

    [Fact]
    public void AddUnreserved_RowOfAnEndedPeriod_IsNotCountedToday()
    {
        var (ledger, time, _) = Create(Budget(1, BudgetScope.Operation, "chat", 1m));

        ledger.AddUnreserved("CHAT", null, null, time.GetUtcNow(), 300);
        ledger.AddUnreserved("chat", null, null, time.GetUtcNow().AddDays(-1), 500);

        Assert.Equal(300, ledger.Snapshot.Accounts[0].CounterAt(time.GetUtcNow()).SpentNanos);
    }

    internal static BudgetConfig Budget(long id, BudgetScope scope, string subject, decimal limit) => new()
    {
        Id = id,
        Scope = scope,
        Subject = subject,
        Period = BudgetPeriod.Day,
        LimitUsd = limit,
    };

    private static (BudgetLedger Ledger, FakeTimeProvider Time, RecordingThresholds Sink) Create(params BudgetConfig[] budgets)
    {
        var time = new FakeTimeProvider(s_beforeMidnight);
        var sink = new RecordingThresholds();
        var ledger = new BudgetLedger(time, sink);
        ledger.Publish(budgets);
        return (ledger, time, sink);
    }

    private sealed class RecordingThresholds : IBudgetThresholdSink
    {
        private readonly List<BudgetThresholdCrossing> _crossings = [];

        public List<BudgetThresholdCrossing> Crossings
        {
            get
            {
                lock (_crossings)
                {
                    return [.. _crossings];
                }
            }
        }

        public void Crossed(BudgetThresholdCrossing crossing)
        {
            lock (_crossings)
            {
                _crossings.Add(crossing);
            }
        }
    }
}
