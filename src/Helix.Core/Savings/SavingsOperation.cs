namespace Helix.Core.Savings;

/// <summary>One operation of a savings replay: its change, its totals and the evidence on both models.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="CandidateModel">The model the plan gives it.</param>
/// <param name="ServiceTier">The tier the plan gives it, or <see langword="null"/> for each call's own.</param>
/// <param name="Totals">The operation's calls and costs.</param>
/// <param name="CurrentModels">The models that served the operation in the window, with their evidence.</param>
/// <param name="Candidate">The candidate's evidence in the same window.</param>
/// <param name="TokenCounts">How token counts were carried over to the candidate (<see cref="TokenCountConversion"/>).</param>
public sealed record SavingsOperation(
    string Operation,
    string CandidateModel,
    string? ServiceTier,
    SavingsTotals Totals,
    IReadOnlyList<ModelEvidence> CurrentModels,
    ModelEvidence Candidate,
    string TokenCounts)
{
    /// <summary>The operation's served calls of the window that were streamed (someone read the answer as it came).</summary>
    public long StreamedCalls { get; init; }

    /// <summary>With <see cref="PlannedChange.InPriceWindow"/>: the re-priced calls whose own time of day was dearer than the cheapest one of their price entry.</summary>
    public long CallsOutsideCheapestWindow { get; init; }

    /// <summary>Whether the plan priced the calls in the cheapest time of day (<see cref="PlannedChange.InPriceWindow"/>).</summary>
    public bool InPriceWindow { get; init; }

    /// <summary>The plan's <see cref="PlannedChange.PricesAsOf"/>, if it set one.</summary>
    public DateTimeOffset? PricesAsOf { get; init; }
}
