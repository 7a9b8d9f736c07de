namespace Helix.Core.Savings;

/// <summary>The result of replaying the log under a <see cref="SavingsPlan"/>.</summary>
/// <param name="From">The first instant replayed (inclusive).</param>
/// <param name="To">The last instant replayed (exclusive).</param>
/// <param name="Totals">Every operation of the plan together.</param>
/// <param name="ProjectedMonthlySavingsUsd">The savings scaled to 30 days (<c>savings × 30 / days</c>), unrounded.</param>
/// <param name="Days">Per UTC day, oldest first; days without calls are left out.</param>
/// <param name="Operations">Per operation, in the plan's order.</param>
public sealed record SavingsReport(
    DateTimeOffset From,
    DateTimeOffset To,
    SavingsTotals Totals,
    decimal ProjectedMonthlySavingsUsd,
    IReadOnlyList<SavingsDay> Days,
    IReadOnlyList<SavingsOperation> Operations)
{
    /// <summary>Scales savings over <paramref name="days"/> days to a 30-day month: <c>savings × 30 / days</c>, unrounded.</summary>
    public static decimal Monthly(decimal savingsUsd, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        return savingsUsd * 30m / days;
    }
}
