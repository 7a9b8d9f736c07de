namespace Helix.Core.Experiments;

/// <summary>An evaluation of an experiment from the operation log: per-arm results, comparisons, and whether it should stop.</summary>
/// <param name="ExperimentId">The experiment.</param>
/// <param name="EvaluatedAt">When it was evaluated.</param>
/// <param name="Arms">Each arm, the control first.</param>
/// <param name="Comparisons">Each candidate against the control.</param>
/// <param name="ShouldStop">Whether a guardrail was breached or a decision is clear.</param>
/// <param name="Winner">The winning arm when it should stop (the control after a breach, or when no candidate is cheaper).</param>
/// <param name="Reason">Why it should stop, or what it waits for.</param>
/// <param name="Method">The statistical method, named.</param>
public sealed record ExperimentResult(
    string ExperimentId,
    DateTimeOffset EvaluatedAt,
    IReadOnlyList<ArmResult> Arms,
    IReadOnlyList<ArmComparison> Comparisons,
    bool ShouldStop,
    string? Winner,
    string Reason,
    string Method);
