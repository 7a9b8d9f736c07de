namespace Helix.Core.Budgets;

/// <summary>Durable budgets and the spend queries over the operation log that budgets and reports need.</summary>
/// <remarks>
/// Implementations are thread-safe. Spend is the logged cost of every attempt (an interrupted attempt at its worst
/// case; an unpriced one at 0), placed in time by the attempt's start; it is read from the log by indexed
/// aggregates, never kept twice.
/// </remarks>
public interface IBudgetStore
{
    /// <summary>Every budget.</summary>
    Task<IReadOnlyList<BudgetConfig>> GetBudgetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a budget, or replaces the one with the same scope, subject and period (keeping its id).</summary>
    /// <returns>The budget as stored, with its id.</returns>
    Task<BudgetConfig> PutBudgetAsync(BudgetConfig budget, CancellationToken cancellationToken = default);

    /// <summary>Deletes a budget; false when there is none with <paramref name="id"/>.</summary>
    Task<bool> DeleteBudgetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The spend of a scope's subject with <c>from &lt;= start &lt; to</c>, in nano-dollars.</summary>
    Task<long> GetSpendNanosAsync(BudgetScope scope, string subject, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Spend per UTC day or month and per group, oldest bucket first.</summary>
    Task<IReadOnlyList<SpendRow>> GetSpendAsync(SpendQuery query, CancellationToken cancellationToken = default);

    /// <summary>Spend and calls per hour of each operation or user (<see cref="SpendGrouping.Operation"/> or <see cref="SpendGrouping.User"/>).</summary>
    Task<IReadOnlyList<ActivityBucket>> GetHourlyActivityAsync(SpendGrouping groupBy, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
