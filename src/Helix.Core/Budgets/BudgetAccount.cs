namespace Helix.Core.Budgets;

/// <summary>A budget in force: its configuration and the counter of its current period, rolled over at the boundary.</summary>
/// <remarks>
/// Thread-safe. No timer rolls periods: the first reservation or read at or after the boundary swaps in a fresh
/// counter by compare-and-swap (one allocation per budget per period); attempts holding the old counter settle there.
/// </remarks>
public sealed class BudgetAccount
{
    private BudgetCounter _current;

    internal BudgetAccount(BudgetConfig config, TimeZoneInfo zone, DateTimeOffset now, BudgetCounter? carried)
    {
        Config = config;
        Zone = zone;
        LimitNanos = UsdNanos.Round(config.LimitUsd);
        ThresholdNanos = [.. config.Thresholds.Select(t => UsdNanos.Round(config.LimitUsd * t))];
        if (carried is not null && carried.Window.Contains(now))
        {
            carried.MoveTo(this);
            _current = carried;
            IsNew = false;
        }
        else
        {
            _current = new BudgetCounter(this, PeriodWindow.For(config.Period, zone, now));
            IsNew = true;
        }
    }

    public BudgetConfig Config { get; }

    /// <summary>The budget's time zone, resolved.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The limit in nano-dollars.</summary>
    public long LimitNanos { get; }

    /// <summary>Whether the counter is new (its spend so far must be loaded) rather than carried over from the previous snapshot.</summary>
    internal bool IsNew { get; }

    internal long[] ThresholdNanos { get; }

    /// <summary>The counter of the period holding <paramref name="now"/>, rolling over if the period has ended.</summary>
    public BudgetCounter CounterAt(DateTimeOffset now) => CounterAt(now.UtcTicks) ?? Volatile.Read(ref _current);

    /// <summary>The counter of the period holding <paramref name="utcTicks"/>, or <see langword="null"/> for a period already gone.</summary>
    internal BudgetCounter? CounterAt(long utcTicks)
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (utcTicks < current.EndTicks)
            {
                return utcTicks >= current.StartTicks ? current : null;
            }

            var next = new BudgetCounter(this, PeriodWindow.For(Config.Period, Zone, new DateTimeOffset(utcTicks, TimeSpan.Zero)));
            Interlocked.CompareExchange(ref _current, next, current);
        }
    }
}
