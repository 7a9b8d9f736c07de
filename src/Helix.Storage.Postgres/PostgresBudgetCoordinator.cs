using System.Collections.Concurrent;
using Helix.Core.Budgets;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>Hard budgets exact across the instances sharing a PostgreSQL database: each spends in memory a share the database granted it.</summary>
/// <remarks>
/// <para>
/// Per budget period, this instance keeps <c>granted</c> (what the database gave it) and <c>covered</c> (what its
/// reservations use, settled calls at their cost). A reservation that fits <c>granted − covered</c> is covered by a
/// compare-and-swap, with no round trip. One that does not asks the database (<c>helix_grant_budget_share</c>, under
/// the period's row lock) for the shortfall plus a slice of what remains: a quarter of it, in whole steps of the
/// asking call's worst case, so far from the limit one grant covers many calls and near it grants shrink to the one
/// call asking. The database never grants past the limit, so the instances together never reserve past it.
/// </para>
/// <para>
/// Worst case: never an overspend beyond what reservations underestimated. A share not used stays with its instance
/// until it uses it or the period ends; so near the limit a call may be refused while a peer still holds room (at
/// most the peer's last slice), and a dead instance's unused share is lost for the rest of that period. Thread-safe.
/// </para>
/// </remarks>
public sealed class PostgresBudgetCoordinator : IBudgetCoordinator, IDisposable
{
    private const int SliceDivisor = 4;

    private readonly PostgresDatabase _database;
    private readonly IBudgetStore _budgets;
    private readonly ConcurrentDictionary<BudgetCounter, Share> _shares = new();

    /// <summary>Creates the coordinator over <paramref name="database"/>; <paramref name="budgets"/> gives a period's spend before any share.</summary>
    public PostgresBudgetCoordinator(PostgresDatabase database, IBudgetStore budgets)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(budgets);
        _database = database;
        _budgets = budgets;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TryCoverAsync(BudgetCounter counter, long amountNanos, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counter);
        var share = _shares.GetOrAdd(counter, static _ => new Share());
        if (share.TryTake(amountNanos))
        {
            return true;
        }

        // One top-up at a time per period: the calls waiting behind it usually find it covers them too.
        await share.Gate.WaitAsync(cancellationToken);
        try
        {
            while (!share.TryTake(amountNanos))
            {
                var need = share.Shortfall(amountNanos);
                var granted = await GrantAsync(counter, need, amountNanos, cancellationToken);
                if (granted == 0)
                {
                    return false;
                }

                share.Add(granted);
            }

            return true;
        }
        finally
        {
            share.Gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Uncover(BudgetCounter counter, long amountNanos)
    {
        ArgumentNullException.ThrowIfNull(counter);
        if (_shares.TryGetValue(counter, out var share))
        {
            share.Give(amountNanos);
        }
    }

    /// <summary>Forgets the shares of periods that ended before <paramref name="now"/>.</summary>
    public void Prune(DateTimeOffset now)
    {
        foreach (var (counter, share) in _shares)
        {
            if (counter.Window.End <= now && _shares.TryRemove(counter, out _))
            {
                share.Gate.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var share in _shares.Values)
        {
            share.Gate.Dispose();
        }
    }

    private async Task<long> GrantAsync(BudgetCounter counter, long need, long unit, CancellationToken cancellationToken)
    {
        var config = counter.Account.Config;
        var start = PostgresValues.Timestamp(counter.Window.Start);

        // What was spent in the period before any share existed; used only by the first grant of the period.
        var baseline = await BaselineAsync(config, start, counter, cancellationToken);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT helix_grant_budget_share($1, $2, $3, $4, $5, $6, $7, $8)", connection);
        command.Parameters.AddWithValue(config.Id);
        command.Parameters.AddWithValue(start);
        command.Parameters.AddWithValue(_database.InstanceId);
        command.Parameters.AddWithValue(counter.Account.LimitNanos);
        command.Parameters.AddWithValue(baseline);
        command.Parameters.AddWithValue(need);
        command.Parameters.AddWithValue(unit);
        command.Parameters.AddWithValue(SliceDivisor);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<long> BaselineAsync(BudgetConfig config, DateTimeOffset start, BudgetCounter counter, CancellationToken cancellationToken)
    {
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM budget_windows WHERE budget_id = $1 AND window_start = $2", connection))
        {
            exists.Parameters.AddWithValue(config.Id);
            exists.Parameters.AddWithValue(start);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return 0;
            }
        }

        return await _budgets.GetSpendNanosAsync(config.Scope, config.Subject, counter.Window.Start, counter.Window.End, cancellationToken);
    }

    /// <summary>This instance's share of one budget period.</summary>
    private sealed class Share
    {
        private long _granted;
        private long _covered;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool TryTake(long amount)
        {
            var covered = Volatile.Read(ref _covered);
            while (true)
            {
                if (covered + amount > Volatile.Read(ref _granted))
                {
                    return false;
                }

                var seen = Interlocked.CompareExchange(ref _covered, covered + amount, covered);
                if (seen == covered)
                {
                    return true;
                }

                covered = seen;
            }
        }

        public long Shortfall(long amount) => Math.Max(1, Volatile.Read(ref _covered) + amount - Volatile.Read(ref _granted));

        public void Add(long granted) => Interlocked.Add(ref _granted, granted);

        public void Give(long amount) => Interlocked.Add(ref _covered, -amount);
    }
}
