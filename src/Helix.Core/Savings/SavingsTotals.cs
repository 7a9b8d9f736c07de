namespace Helix.Core.Savings;

/// <summary>Served calls re-priced: what they cost and what they would have cost under the plan.</summary>
/// <param name="Calls">Served calls replayed.</param>
/// <param name="RepricedCalls">Calls the plan could price (the candidate had a price in force at the call's time).</param>
/// <param name="UnpricedCalls">Calls left out of both sums: the candidate had no price then, or the call had no recorded cost.</param>
/// <param name="CurrentCostUsd">What the re-priced calls cost as logged (a later re-pricing counts), unrounded.</param>
/// <param name="CandidateCostUsd">What the same calls would have cost under the plan, unrounded.</param>
public sealed record SavingsTotals(long Calls, long RepricedCalls, long UnpricedCalls, decimal CurrentCostUsd, decimal CandidateCostUsd)
{
    /// <summary>Nothing replayed.</summary>
    public static SavingsTotals Zero { get; } = new(0, 0, 0, 0m, 0m);

    /// <summary>What the plan saves (negative when it costs more).</summary>
    public decimal SavingsUsd => CurrentCostUsd - CandidateCostUsd;

    /// <summary>The savings as a fraction of the current cost, or <see langword="null"/> when nothing was spent.</summary>
    public decimal? SavingsFraction => CurrentCostUsd == 0m ? null : SavingsUsd / CurrentCostUsd;

    /// <summary>Adds one call.</summary>
    internal SavingsTotals Add(decimal? current, decimal? candidate) =>
        current is { } c && candidate is { } k
            ? this with { Calls = Calls + 1, RepricedCalls = RepricedCalls + 1, CurrentCostUsd = CurrentCostUsd + c, CandidateCostUsd = CandidateCostUsd + k }
            : this with { Calls = Calls + 1, UnpricedCalls = UnpricedCalls + 1 };
}
