namespace Helix.Core.Budgets.Anomalies;

/// <summary>Activity well above its baseline: what was seen, what was expected, and by which rule.</summary>
/// <param name="Rule"><c>spend</c> or <c>calls</c>.</param>
/// <param name="Scope"><c>operation</c> or <c>user</c>.</param>
/// <param name="Subject">The operation or user.</param>
/// <param name="Window"><c>hour</c> (the last complete hour) or <c>day</c> (the day so far, UTC).</param>
/// <param name="SpentUsd">Spend in the window.</param>
/// <param name="BaselineUsd">The spend expected in the window.</param>
/// <param name="Calls">Calls in the window.</param>
/// <param name="BaselineCalls">The calls expected in the window.</param>
/// <param name="Basis">How the baseline was made (<c>same hour of week over N weeks</c>, or <c>recent daily mean</c>).</param>
public sealed record Anomaly(string Rule, string Scope, string Subject, string Window, decimal SpentUsd, decimal BaselineUsd, long Calls, decimal BaselineCalls, string Basis);
