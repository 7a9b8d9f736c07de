namespace Helix.Core.Savings;

/// <summary>One UTC day of a savings replay.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Totals">The day's calls and costs.</param>
public sealed record SavingsDay(DateOnly Day, SavingsTotals Totals);
