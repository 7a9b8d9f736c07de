namespace Helix.Core.Budgets;

/// <summary>Why a reservation was refused: the hard budget it would have exceeded and when that budget resets.</summary>
/// <param name="Account">The budget refused.</param>
/// <param name="ResetAt">The end of the budget's current period.</param>
public readonly record struct BudgetRefusal(BudgetAccount Account, DateTimeOffset ResetAt)
{
    /// <summary>A sentence naming the scope, the limit and the reset time.</summary>
    public string Describe()
    {
        var config = Account.Config;
        var scope = config.Scope == BudgetScope.Global
            ? "the global"
            : $"the {config.Scope.ToString().ToLowerInvariant()} '{config.Subject}'";
        return $"The call would exceed {scope} {config.Period.ToString().ToLowerInvariant()} budget of " +
            $"{config.LimitUsd.ToString(System.Globalization.CultureInfo.InvariantCulture)} USD; it resets at {ResetAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}.";
    }
}
