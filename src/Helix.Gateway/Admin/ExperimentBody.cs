using Helix.Core.Experiments;

namespace Helix.Gateway.Admin;

/// <summary>An experiment as the admin API shows it, with its latest evaluation; fractions and money as decimal strings.</summary>
internal sealed record ExperimentBody(
    string Id,
    string Operation,
    string Status,
    IReadOnlyList<ExperimentBody.ArmBody> Arms,
    ExperimentBody.GuardrailsBody Guardrails,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? StoppedAt,
    string? StoppedBy,
    string? StopReason,
    string? Winner,
    ExperimentBody.ResultBody? Result)
{
    public static ExperimentBody From(ExperimentConfig e, ExperimentResult? result) => new(
        e.Id,
        e.Operation,
        e.Status.ToString().ToLowerInvariant(),
        [.. e.Arms.Select(a => new ArmBody(a.Name, a.Model, Usd.Format(a.Share)))],
        new GuardrailsBody(
            Usd.Format(e.Guardrails.MaxErrorRateIncrease), Usd.Format(e.Guardrails.MaxLatencyP95Increase),
            Usd.Format(e.Guardrails.MaxCostPerCallIncrease), Usd.Format(e.Guardrails.MaxQualityDecrease), e.Guardrails.MinCallsPerArm, Usd.Format(e.Guardrails.Alpha)),
        e.CreatedAt,
        e.CreatedBy,
        e.StoppedAt,
        e.StoppedBy,
        e.StopReason,
        e.Winner,
        result is null ? null : ResultBody.From(result));

    internal sealed record ArmBody(string Name, string Model, string Share);

    internal sealed record GuardrailsBody(string MaxErrorRateIncrease, string MaxLatencyP95Increase, string MaxCostPerCallIncrease, string MaxQualityDecrease, int MinCallsPerArm, string Alpha);

    internal sealed record ResultBody(
        DateTimeOffset EvaluatedAt, IReadOnlyList<ArmResultBody> Arms, IReadOnlyList<ComparisonBody> Comparisons,
        bool ShouldStop, string? Winner, string Reason, string Method)
    {
        public static ResultBody From(ExperimentResult r) => new(
            r.EvaluatedAt,
            [.. r.Arms.Select(a => new ArmResultBody(a.Name, a.Model, a.Calls, a.Errors, a.ErrorRate, Usd.Format(a.CostPerCallUsd), a.LatencyP95Ms, a.ScoredCalls, a.QualityMean))],
            [.. r.Comparisons.Select(c => new ComparisonBody(c.Arm, c.ErrorRateDifference, c.CostPerCallDifferenceUsd, c.CostPerCallChange, c.LatencyP95Ratio, c.QualityDifference, c.Verdict, c.Reason))],
            r.ShouldStop,
            r.Winner,
            r.Reason,
            r.Method);
    }

    internal sealed record ArmResultBody(string Name, string Model, long Calls, long Errors, double? ErrorRate, string? CostPerCallUsd, double? LatencyP95Ms, long ScoredCalls, double? QualityMean);

    internal sealed record ComparisonBody(
        string Arm, ConfidenceInterval? ErrorRateDifference, ConfidenceInterval? CostPerCallDifferenceUsd,
        double? CostPerCallChange, double? LatencyP95Ratio, ConfidenceInterval? QualityDifference, string Verdict, string Reason);
}
