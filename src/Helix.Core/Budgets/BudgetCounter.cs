namespace Helix.Core.Budgets;

/// <summary>One budget's ledger for one period: spend and reservations in nano-dollars, changed only atomically.</summary>
/// <remarks>
/// Lock-free and thread-safe. <c>used</c> (spend plus reservations) is what the limit is checked against, changed by
/// compare-and-swap, so a reservation either fits whole or not at all however many calls race for the last dollar;
/// spend and reservations are kept beside it for display. A counter belongs to one period for good: an attempt
/// reserved in it settles in it, even after the budget has rolled over to a new counter.
/// </remarks>
public sealed class BudgetCounter
{
    private long _used;
    private long _reserved;
    private long _spent;
    private int _fired;
    private BudgetAccount _account;

    internal BudgetCounter(BudgetAccount account, PeriodWindow window)
    {
        _account = account;
        Window = window;
        StartTicks = window.Start.UtcTicks;
        EndTicks = window.End.UtcTicks;
    }

    /// <summary>The period this counter accumulates.</summary>
    public PeriodWindow Window { get; }

    /// <summary>The budget the counter belongs to now (a budget whose limit changed keeps its counter).</summary>
    public BudgetAccount Account => Volatile.Read(ref _account);

    /// <summary>Settled spend in the period, in nano-dollars.</summary>
    public long SpentNanos => Volatile.Read(ref _spent);

    /// <summary>Worst cases reserved by attempts not yet ended, in nano-dollars.</summary>
    public long ReservedNanos => Volatile.Read(ref _reserved);

    /// <summary>Spend plus reservations, in nano-dollars: what a new reservation must fit beside.</summary>
    public long UsedNanos => Volatile.Read(ref _used);

    internal long StartTicks { get; }

    internal long EndTicks { get; }

    internal void MoveTo(BudgetAccount account) => Volatile.Write(ref _account, account);

    /// <summary>Reserves <paramref name="amount"/> if the total stays within <paramref name="limit"/>.</summary>
    /// <remarks>A zero amount (a model without a price) still needs room: an exhausted budget refuses it.</remarks>
    internal bool TryReserve(long amount, long limit)
    {
        var current = Volatile.Read(ref _used);
        while (true)
        {
            if (amount == 0 ? current >= limit : current > limit - amount)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _used, current + amount, current);
            if (seen == current)
            {
                Interlocked.Add(ref _reserved, amount);
                return true;
            }

            current = seen;
        }
    }

    internal void Reserve(long amount)
    {
        Interlocked.Add(ref _used, amount);
        Interlocked.Add(ref _reserved, amount);
    }

    internal void Release(long reserved)
    {
        Interlocked.Add(ref _reserved, -reserved);
        Interlocked.Add(ref _used, -reserved);
    }

    internal void Settle(long reserved, long actual)
    {
        Interlocked.Add(ref _reserved, -reserved);
        Interlocked.Add(ref _spent, actual);
        Interlocked.Add(ref _used, actual - reserved);
    }

    internal void AddSpend(long actual)
    {
        Interlocked.Add(ref _spent, actual);
        Interlocked.Add(ref _used, actual);
    }

    /// <summary>Marks threshold <paramref name="index"/> as fired; true only for the first caller in this period.</summary>
    internal bool TryMarkFired(int index)
    {
        var bit = 1 << index;
        var current = Volatile.Read(ref _fired);
        while ((current & bit) == 0)
        {
            var seen = Interlocked.CompareExchange(ref _fired, current | bit, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }
}
