using BenchmarkDotNet.Attributes;
using Helix.Core.Budgets;

namespace Helix.Benchmarks;

/// <summary>
/// The request path's budget check: find the budgets a call touches and reserve its worst case against each (here
/// six: global, user and operation, a day and a month each), then settle it; both in memory, by compare-and-swap.
/// </summary>
[MemoryDiagnoser]
public class BudgetBenchmarks
{
    private const long WorstCase = 120_000; // 0.00012 USD in nano-dollars
    private readonly BudgetHold _hold = new();
    private BudgetLedger _ledger = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ledger = new BudgetLedger(TimeProvider.System);
        List<BudgetConfig> budgets = [];
        var id = 0;
        foreach (var (scope, subject) in new[] { (BudgetScope.Global, BudgetConfig.GlobalSubject), (BudgetScope.User, "alice"), (BudgetScope.Operation, "chat") })
        {
            foreach (var period in new[] { BudgetPeriod.Day, BudgetPeriod.Month })
            {
                budgets.Add(new BudgetConfig { Id = ++id, Scope = scope, Subject = subject, Period = period, LimitUsd = 1_000_000m });
            }
        }

        // Other subjects, so the lookups are not in one-entry tables.
        for (var i = 0; i < 200; i++)
        {
            budgets.Add(new BudgetConfig { Id = ++id, Scope = BudgetScope.User, Subject = "user-" + i, Period = BudgetPeriod.Day, LimitUsd = 10m });
            budgets.Add(new BudgetConfig { Id = ++id, Scope = BudgetScope.Key, Subject = "key-" + i, Period = BudgetPeriod.Day, LimitUsd = 10m });
        }

        _ledger.Publish(budgets);
    }

    [Benchmark]
    public bool CheckAndReserveThenRelease()
    {
        var held = _ledger.TryReserve(_hold, "chat", "alice", "app-key", WorstCase, out _);
        BudgetLedger.Release(_hold);
        return held;
    }

    [Benchmark]
    public bool CheckAndReserveThenSettle()
    {
        var held = _ledger.TryReserve(_hold, "chat", "alice", "app-key", WorstCase, out _);
        _ledger.Settle(_hold, 0);
        return held;
    }
}
