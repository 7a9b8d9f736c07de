namespace Helix.Core.Budgets;

/// <summary>A spend report request: spend from <see cref="From"/> to <see cref="To"/>, per UTC day or month and per group.</summary>
/// <param name="Period">The bucket: a UTC day or a UTC month.</param>
/// <param name="GroupBy">The grouping.</param>
/// <param name="From">The first instant counted.</param>
/// <param name="To">The first instant not counted.</param>
public sealed record SpendQuery(BudgetPeriod Period, SpendGrouping GroupBy, DateTimeOffset From, DateTimeOffset To);
