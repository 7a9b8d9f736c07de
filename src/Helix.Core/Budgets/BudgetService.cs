using Microsoft.Extensions.Options;

namespace Helix.Core.Budgets;

/// <summary>Keeps the in-memory ledger in step with the stored budgets: start-up rebuild, changes, views.</summary>
/// <remarks>
/// <para>
/// Start-up (after migrations and open-attempt recovery, before calls are served): creates the default global daily
/// budget if there is no global daily budget, publishes every budget and rebuilds each one's spend in its current
/// period from the operation log. Recovery has already turned the attempts a dead process left open into
/// interrupted rows at their worst case, so they count as spend and no reservation is left hanging.
/// </para>
/// <para>
/// A change is stored, then the whole set is published again; budgets kept with the same period keep their
/// counters, new ones are seeded from the log. Changes are serialised; reads never wait. Thread-safe.
/// </para>
/// </remarks>
public sealed class BudgetService : IDisposable
{
    private readonly IBudgetStore _store;
    private readonly BudgetLedger _ledger;
    private readonly TimeProvider _time;
    private readonly BudgetsOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public BudgetService(IBudgetStore store, BudgetLedger ledger, TimeProvider time, IOptions<BudgetsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _ledger = ledger;
        _time = time;
        _options = options.Value;
    }

    /// <summary>Creates the default budget if needed, loads every budget and rebuilds its spend.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var budgets = await _store.GetBudgetsAsync(cancellationToken);
        if (_options.DefaultDailyUsd > 0 && !budgets.Any(b => b.Scope == BudgetScope.Global && b.Period == BudgetPeriod.Day))
        {
            await _store.PutBudgetAsync(new BudgetConfig
            {
                Scope = BudgetScope.Global,
                Subject = BudgetConfig.GlobalSubject,
                Period = BudgetPeriod.Day,
                LimitUsd = _options.DefaultDailyUsd,
                Hard = true,
                UpdatedAt = _time.GetUtcNow(),
            }, cancellationToken);
        }

        await ReloadAsync(cancellationToken);
    }

    /// <summary>Stores a budget (replacing the one with the same scope, subject and period) and publishes it.</summary>
    public async Task<BudgetConfig> PutAsync(BudgetConfig budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var stored = await _store.PutBudgetAsync(budget with { UpdatedAt = _time.GetUtcNow() }, cancellationToken);
        await ReloadAsync(cancellationToken);
        return stored;
    }

    /// <summary>Deletes a budget; false when there is none.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var deleted = await _store.DeleteBudgetAsync(id, cancellationToken);
        if (deleted)
        {
            await ReloadAsync(cancellationToken);
        }

        return deleted;
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    /// <summary>Every budget with its current figures.</summary>
    public IReadOnlyList<BudgetView> List()
    {
        var now = _time.GetUtcNow();
        return [.. _ledger.Snapshot.Accounts.Select(a => View(a, now))];
    }

    /// <summary>One budget with its current figures, or <see langword="null"/>.</summary>
    public BudgetView? Find(long id) =>
        _ledger.Snapshot.ById.TryGetValue(id, out var account) ? View(account, _time.GetUtcNow()) : null;

    /// <summary>Reloads the budgets from the store and publishes them; new counters are seeded with their spend so far.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var budgets = await _store.GetBudgetsAsync(cancellationToken);

            // Published first, then seeded: a row committed in between counts twice for a moment (stricter), never zero times.
            var fresh = _ledger.Publish(budgets);
            var now = _time.GetUtcNow();
            foreach (var account in fresh)
            {
                var window = account.CounterAt(now).Window;
                var spent = await _store.GetSpendNanosAsync(account.Config.Scope, account.Config.Subject, window.Start, window.End, cancellationToken);
                BudgetLedger.Seed(account, spent, now);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static BudgetView View(BudgetAccount account, DateTimeOffset now)
    {
        var counter = account.CounterAt(now);
        var spent = counter.SpentNanos;
        var reserved = counter.ReservedNanos;
        var remaining = Math.Max(0, account.LimitNanos - spent - reserved);
        return new BudgetView(account.Config, counter.Window, UsdNanos.ToUsd(spent), UsdNanos.ToUsd(reserved), UsdNanos.ToUsd(remaining));
    }
}
