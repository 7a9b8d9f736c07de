namespace Helix.Core.Experiments;

/// <summary>The experiment and arm a call runs under; the log row carries both.</summary>
/// <param name="ExperimentId">The experiment's id.</param>
/// <param name="Arm">The arm's name.</param>
public sealed record ExperimentAssignment(string ExperimentId, string Arm);
