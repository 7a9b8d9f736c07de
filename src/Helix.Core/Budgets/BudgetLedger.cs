namespace Helix.Core.Budgets;

/// <summary>The budgets in memory: check and reserve before an attempt, settle or release when it ends.</summary>
/// <remarks>
/// <para>
/// The request path never touches storage: <see cref="TryReserve"/> reads the current <see cref="BudgetSnapshot"/>,
/// finds the budgets the call touches (global, its user, its operation, its key; each a day and a month at most) and
/// reserves the worst case against each counter by compare-and-swap. All or nothing: if one hard budget has no room,
/// the counters already taken are released and the refusal names that budget. No lock, no allocation.
/// </para>
/// <para>
/// <see cref="Settle"/> turns a reservation into the attempt's actual cost in the counters it was reserved against
/// (so an attempt reserved before midnight settles in the day it started), then checks the thresholds of those
/// budgets; <see cref="Release"/> returns it. Both are idempotent per hold. Thread-safe.
/// </para>
/// </remarks>
public sealed class BudgetLedger
{
    private readonly TimeProvider _time;
    private readonly IBudgetThresholdSink? _thresholds;
    private BudgetSnapshot _snapshot = BudgetSnapshot.Empty;

    /// <summary>Creates an empty ledger.</summary>
    /// <param name="time">The clock that places reservations in periods.</param>
    /// <param name="thresholds">Told of threshold crossings, or <see langword="null"/>.</param>
    public BudgetLedger(TimeProvider time, IBudgetThresholdSink? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _thresholds = thresholds;
    }

    /// <summary>The budgets in force.</summary>
    public BudgetSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Publishes a new set of budgets; a budget kept with the same period and time zone keeps its counter.</summary>
    /// <returns>The budgets whose counters are new: their spend so far in the period is not counted yet.</returns>
    /// <exception cref="TimeZoneNotFoundException">A budget names a time zone this machine does not know.</exception>
    public IReadOnlyList<BudgetAccount> Publish(IEnumerable<BudgetConfig> budgets)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var now = _time.GetUtcNow();
        var previous = Snapshot;
        List<BudgetAccount> accounts = [];
        foreach (var config in budgets)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(config.TimeZone);
            BudgetCounter? carried = null;
            if (previous.ById.TryGetValue(config.Id, out var old)
                && old.Config.Period == config.Period
                && string.Equals(old.Config.TimeZone, config.TimeZone, StringComparison.Ordinal)
                && old.Config.Scope == config.Scope
                && string.Equals(old.Config.Subject, config.Subject, StringComparison.Ordinal))
            {
                carried = old.CounterAt(now);
            }

            accounts.Add(new BudgetAccount(config, zone, now, carried));
        }

        Volatile.Write(ref _snapshot, new BudgetSnapshot(accounts));
        return [.. accounts.Where(a => a.IsNew)];
    }

    /// <summary>Adds spend that happened before the ledger knew the budget (start-up, a new budget) to its current counter.</summary>
    public static void Seed(BudgetAccount account, long spentNanos, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        account.CounterAt(now).AddSpend(spentNanos);
    }

    /// <summary>Reserves <paramref name="amountNanos"/> against every budget a call touches, all or none.</summary>
    /// <param name="hold">Receives the reservation; reset first.</param>
    /// <param name="operation">The call's operation.</param>
    /// <param name="user">The call's end user, if any.</param>
    /// <param name="key">The call's principal (application key), if any.</param>
    /// <param name="amountNanos">The attempt's worst-case cost.</param>
    /// <param name="refusal">The hard budget that had no room, when refused.</param>
    /// <returns>Whether the reservation is held.</returns>
    public bool TryReserve(BudgetHold hold, string operation, string? user, string? key, long amountNanos, out BudgetRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(hold);
        var snapshot = Snapshot;
        var ticks = _time.GetUtcNow().UtcTicks;
        hold.Begin(amountNanos);
        refusal = default;
        if (!ReserveAll(hold, snapshot.Global, ticks, amountNanos, ref refusal)
            || (user is not null && snapshot.Users.TryGetValue(user, out var users) && !ReserveAll(hold, users, ticks, amountNanos, ref refusal))
            || (snapshot.Operations.TryGetValue(operation, out var operations) && !ReserveAll(hold, operations, ticks, amountNanos, ref refusal))
            || (key is not null && snapshot.Keys.TryGetValue(key, out var keys) && !ReserveAll(hold, keys, ticks, amountNanos, ref refusal)))
        {
            for (var i = 0; i < hold.Count; i++)
            {
                hold[i].Release(amountNanos);
            }

            hold.Begin(0);
            return false;
        }

        hold.MarkHeld();
        return true;
    }

    /// <summary>Ends a reservation with the attempt's actual cost; does nothing if it already ended.</summary>
    /// <returns>Whether this call ended it.</returns>
    public bool Settle(BudgetHold hold, long actualNanos)
    {
        ArgumentNullException.ThrowIfNull(hold);
        if (!hold.TryEnd())
        {
            return false;
        }

        for (var i = 0; i < hold.Count; i++)
        {
            var counter = hold[i];
            counter.Settle(hold.AmountNanos, actualNanos);
            if (actualNanos > 0)
            {
                CheckThresholds(counter);
            }
        }

        return true;
    }

    /// <summary>Returns a reservation whole (the attempt cost nothing); does nothing if it already ended.</summary>
    /// <returns>Whether this call ended it.</returns>
    public static bool Release(BudgetHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        if (!hold.TryEnd())
        {
            return false;
        }

        for (var i = 0; i < hold.Count; i++)
        {
            hold[i].Release(hold.AmountNanos);
        }

        return true;
    }

    /// <summary>Counts spend no reservation covered (an attempt made before the budget existed) in the period of <paramref name="at"/>.</summary>
    public void AddUnreserved(string operation, string? user, string? key, DateTimeOffset at, long actualNanos)
    {
        if (actualNanos == 0)
        {
            return;
        }

        var snapshot = Snapshot;
        var ticks = at.UtcTicks;
        AddAll(snapshot.Global, ticks, actualNanos);
        if (user is not null && snapshot.Users.TryGetValue(user, out var users))
        {
            AddAll(users, ticks, actualNanos);
        }

        if (snapshot.Operations.TryGetValue(operation, out var operations))
        {
            AddAll(operations, ticks, actualNanos);
        }

        if (key is not null && snapshot.Keys.TryGetValue(key, out var keys))
        {
            AddAll(keys, ticks, actualNanos);
        }
    }

    private void AddAll(BudgetAccount[] accounts, long ticks, long actualNanos)
    {
        foreach (var account in accounts)
        {
            if (account.CounterAt(ticks) is { } counter)
            {
                counter.AddSpend(actualNanos);
                CheckThresholds(counter);
            }
        }
    }

    private static bool ReserveAll(BudgetHold hold, BudgetAccount[] accounts, long ticks, long amount, ref BudgetRefusal refusal)
    {
        foreach (var account in accounts)
        {
            var counter = account.CounterAt(ticks) ?? account.CounterAt(new DateTimeOffset(ticks, TimeSpan.Zero));
            if (account.Config.Hard)
            {
                if (!counter.TryReserve(amount, account.LimitNanos))
                {
                    refusal = new BudgetRefusal(account, counter.Window.End);
                    return false;
                }
            }
            else
            {
                counter.Reserve(amount);
            }

            hold.Add(counter);
        }

        return true;
    }

    private void CheckThresholds(BudgetCounter counter)
    {
        if (_thresholds is null)
        {
            return;
        }

        var account = counter.Account;
        var spent = counter.SpentNanos;
        var thresholds = account.ThresholdNanos;
        for (var i = 0; i < thresholds.Length; i++)
        {
            if (spent >= thresholds[i] && counter.TryMarkFired(i))
            {
                _thresholds.Crossed(new BudgetThresholdCrossing(account.Config, counter.Window, account.Config.Thresholds[i], spent, _time.GetUtcNow()));
            }
        }
    }
}
