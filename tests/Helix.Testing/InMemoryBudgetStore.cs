using Helix.Core.Budgets;

namespace Helix.Testing;

/// <summary>Budgets in memory, and spend computed from an <see cref="InMemoryOperationLogStore"/>'s rows like SQLite's aggregates.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryBudgetStore(InMemoryOperationLogStore log) : IBudgetStore
{
    private readonly Lock _gate = new();
    private readonly List<BudgetConfig> _budgets = [];
    private long _nextId;

    public Task<IReadOnlyList<BudgetConfig>> GetBudgetsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<BudgetConfig>>([.. _budgets]);
        }
    }

    public Task<BudgetConfig> PutBudgetAsync(BudgetConfig budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        lock (_gate)
        {
            var index = _budgets.FindIndex(b => b.Scope == budget.Scope && b.Subject == budget.Subject && b.Period == budget.Period);
            var stored = budget with { Id = index >= 0 ? _budgets[index].Id : ++_nextId };
            if (index >= 0)
            {
                _budgets[index] = stored;
            }
            else
            {
                _budgets.Add(stored);
            }

            return Task.FromResult(stored);
        }
    }

    public Task<bool> DeleteBudgetAsync(long id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_budgets.RemoveAll(b => b.Id == id) > 0);
        }
    }

    public Task<long> GetSpendNanosAsync(BudgetScope scope, string subject, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var rows = log.Entries.Where(e => e.Timestamp >= from && e.Timestamp < to && scope switch
        {
            BudgetScope.Global => true,
            BudgetScope.User => e.User == subject,
            BudgetScope.Operation => string.Equals(e.Operation, subject, StringComparison.OrdinalIgnoreCase),
            _ => e.Principal == subject,
        });
        return Task.FromResult(rows.Sum(e => Nanos(e.CostUsd)));
    }

    public Task<IReadOnlyList<SpendRow>> GetSpendAsync(SpendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<SpendRow> rows = [.. log.Entries
            .Where(e => e.Timestamp >= query.From && e.Timestamp < query.To)
            .GroupBy(e => (Bucket: Bucket(e.Timestamp, query.Period), Group: Group(e, query.GroupBy)))
            .OrderBy(g => g.Key.Bucket).ThenBy(g => g.Key.Group, StringComparer.Ordinal)
            .Select(g => new SpendRow(g.Key.Bucket, g.Key.Group, g.Sum(e => Nanos(e.CostUsd)), g.Count(e => e.Attempt == 1), g.Count()))];
        return Task.FromResult(rows);
    }

    public Task<IReadOnlyList<ActivityBucket>> GetHourlyActivityAsync(SpendGrouping groupBy, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ActivityBucket> rows = [.. log.Entries
            .Where(e => e.Timestamp >= from && e.Timestamp < to && Group(e, groupBy) is not null)
            .GroupBy(e => (Subject: Group(e, groupBy)!, Hour: new DateTimeOffset(e.Timestamp.UtcTicks - (e.Timestamp.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero)))
            .OrderBy(g => g.Key.Subject, StringComparer.Ordinal).ThenBy(g => g.Key.Hour)
            .Select(g => new ActivityBucket(g.Key.Subject, g.Key.Hour, g.Sum(e => Nanos(e.CostUsd)), g.Count(e => e.Attempt == 1)))];
        return Task.FromResult(rows);
    }

    private static long Nanos(decimal? cost) => cost is { } c ? UsdNanos.Round(c) : 0;

    private static DateTimeOffset Bucket(DateTimeOffset at, BudgetPeriod period)
    {
        var utc = at.UtcDateTime;
        return period == BudgetPeriod.Day
            ? new DateTimeOffset(utc.Date, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private static string? Group(Helix.Core.OperationLog.OperationLogEntry e, SpendGrouping grouping) => grouping switch
    {
        SpendGrouping.Operation => e.Operation,
        SpendGrouping.Model => e.Model,
        SpendGrouping.User => e.User,
        _ => e.Principal,
    };
}
