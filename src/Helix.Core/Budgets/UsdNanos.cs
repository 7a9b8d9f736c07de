namespace Helix.Core.Budgets;

/// <summary>Money in the budget ledger: whole nano-dollars in a <see cref="long"/> (up to about 9.2 billion USD).</summary>
/// <remarks>Reservations round up and spend rounds to nearest, so a reservation never undercounts its decimal.</remarks>
public static class UsdNanos
{
    /// <summary>Nano-dollars per dollar.</summary>
    public const long PerUsd = 1_000_000_000;

    /// <summary>Rounds a cost up to whole nano-dollars (what a reservation holds).</summary>
    public static long Ceiling(decimal usd) => usd <= 0 ? 0 : (long)decimal.Ceiling(usd * PerUsd);

    /// <summary>Rounds a cost to the nearest nano-dollar (what spend counts).</summary>
    public static long Round(decimal usd) => (long)decimal.Round(usd * PerUsd, MidpointRounding.AwayFromZero);

    /// <summary>Nano-dollars back to USD.</summary>
    public static decimal ToUsd(long nanos) => (decimal)nanos / PerUsd;
}
