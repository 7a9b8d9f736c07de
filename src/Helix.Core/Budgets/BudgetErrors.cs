using Helix.Core.Pipeline;

namespace Helix.Core.Budgets;

/// <summary>The error of a call refused by a hard budget.</summary>
public static class BudgetErrors
{
    /// <summary>The code clients see: <c>budget_exceeded</c>.</summary>
    public const string ExceededCode = "budget_exceeded";

    /// <summary>HTTP 429 <c>budget_exceeded</c>, naming the budget and its reset time; retry-after is the wait until the reset.</summary>
    public static GatewayError Exceeded(in BudgetRefusal refusal, DateTimeOffset now) =>
        new(ExceededCode, refusal.Describe(), 429, "insufficient_quota", refusal.ResetAt - now);
}
