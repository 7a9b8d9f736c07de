namespace Helix.Core.Savings;

/// <summary>One operation's change in a <see cref="SavingsPlan"/>.</summary>
/// <param name="Operation">The operation, as the log names it.</param>
/// <param name="Model">The catalog id of the model it would use (<c>deepseek/deepseek-v4-flash</c>).</param>
/// <param name="ServiceTier">The service tier it would run in (<c>batch</c>, <c>flex</c>), or <see langword="null"/> to keep each call's own.</param>
public sealed record PlannedChange(string Operation, string Model, string? ServiceTier = null)
{
    /// <summary>
    /// Whether each call is priced as if sent in the cheapest time of day of its price entry (a provider's off-peak
    /// window): the call's own day, at the start or end of one of the entry's time windows, whichever prices it lowest
    /// (its own time when that is as cheap already).
    /// </summary>
    public bool InPriceWindow { get; init; }

    /// <summary>
    /// When set, each call is priced with the candidate's entry in force at this instant rather than at the call's time
    /// (its time of day still decides a time window): what the calls would cost at a price that took effect, or will.
    /// </summary>
    public DateTimeOffset? PricesAsOf { get; init; }
}
