namespace Helix.Core.Budgets;

/// <summary>A budget's spend reached one of its thresholds for the first time in a period.</summary>
/// <param name="Budget">The budget.</param>
/// <param name="Window">The period.</param>
/// <param name="Threshold">The fraction of the limit reached.</param>
/// <param name="SpentNanos">The period's spend when it was reached.</param>
/// <param name="At">When.</param>
public sealed record BudgetThresholdCrossing(BudgetConfig Budget, PeriodWindow Window, decimal Threshold, long SpentNanos, DateTimeOffset At);
