namespace Helix.Core.Budgets;

/// <summary>A budget with its current period's figures, for the admin API and the dashboard.</summary>
/// <param name="Budget">The budget.</param>
/// <param name="Window">The current period.</param>
/// <param name="SpentUsd">Settled spend in the period.</param>
/// <param name="ReservedUsd">Worst cases reserved by attempts in flight.</param>
/// <param name="RemainingUsd">What is left of the limit (never below 0).</param>
public sealed record BudgetView(BudgetConfig Budget, PeriodWindow Window, decimal SpentUsd, decimal ReservedUsd, decimal RemainingUsd);
