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
    string TokenCounts);
