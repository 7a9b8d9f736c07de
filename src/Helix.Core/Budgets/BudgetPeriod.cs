namespace Helix.Core.Budgets;

/// <summary>The period over which a budget's spend accumulates; it starts again at the next boundary.</summary>
public enum BudgetPeriod
{
    /// <summary>A calendar day in the budget's time zone (UTC by default).</summary>
    Day,

    /// <summary>A calendar month in the budget's time zone.</summary>
    Month,
}
