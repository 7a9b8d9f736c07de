namespace Helix.Core.Budgets;

/// <summary>Makes hard budgets exact across several instances sharing one store: each instance spends only what the store granted it.</summary>
/// <remarks>
/// <para>
/// The ledger checks and reserves in memory first; for every hard budget a reservation touches, the coordinator then
/// covers it from this instance's share of the budget, which it tops up from the shared store when it runs short
/// (a slice of what remains, shrinking to the exact amount near the limit). So a call far from the limit costs no
/// round trip, and the instances together never reserve past the limit, whatever the interleaving.
/// </para>
/// <para>
/// What a reservation did not use (a release, a settlement below the worst case) is given back with
/// <see cref="Uncover"/> and stays in this instance's share for its next calls. Without a coordinator (one
/// instance, SQLite) the ledger alone is exact. Implementations are thread-safe.
/// </para>
/// </remarks>
public interface IBudgetCoordinator
{
    /// <summary>Covers <paramref name="amountNanos"/> more of <paramref name="counter"/>'s period from this instance's share.</summary>
    /// <param name="counter">The counter of a hard budget the reservation was made against.</param>
    /// <param name="amountNanos">The reservation's worst case, in nano-dollars (positive).</param>
    /// <param name="cancellationToken">Cancels a top-up from the store.</param>
    /// <returns><see langword="false"/> when the budget has no room left across all instances.</returns>
    ValueTask<bool> TryCoverAsync(BudgetCounter counter, long amountNanos, CancellationToken cancellationToken = default);

    /// <summary>Gives back to this instance's share what a reservation did not use (negative: it used more than it reserved).</summary>
    /// <param name="counter">The counter the reservation was covered in.</param>
    /// <param name="amountNanos">The unused part, in nano-dollars.</param>
    void Uncover(BudgetCounter counter, long amountNanos);
}
