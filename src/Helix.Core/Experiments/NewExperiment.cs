namespace Helix.Core.Experiments;

/// <summary>What starting an experiment asks for.</summary>
/// <param name="Operation">The operation to split.</param>
/// <param name="ControlModel">The control's model; the route's primary when <see langword="null"/>.</param>
/// <param name="Candidates">Each candidate's model and share; the control gets the rest of the traffic.</param>
/// <param name="Guardrails">When it stops by itself; the defaults when <see langword="null"/>.</param>
public sealed record NewExperiment(string Operation, string? ControlModel, IReadOnlyList<(string Model, decimal Share)> Candidates, ExperimentGuardrails? Guardrails = null);
