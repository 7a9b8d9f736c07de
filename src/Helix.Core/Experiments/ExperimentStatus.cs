namespace Helix.Core.Experiments;

/// <summary>Whether an experiment splits traffic.</summary>
public enum ExperimentStatus
{
    /// <summary>Traffic is split between the arms.</summary>
    Running,

    /// <summary>Stopped by an operator, a guardrail or a clear winner; the operation's route serves every call again.</summary>
    Stopped,
}
