namespace Helix.Core.Experiments;

/// <summary>An A/B test of models for one operation: its arms, guardrails and lifecycle.</summary>
/// <remarks>Immutable; stopping is a new value with <see cref="Status"/> <see cref="ExperimentStatus.Stopped"/>.</remarks>
public sealed record ExperimentConfig
{
    /// <summary>The experiment's id (<c>exp_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The operation whose calls are split.</summary>
    public required string Operation { get; init; }

    /// <summary>The arms: the control first, then the candidates.</summary>
    public required IReadOnlyList<ExperimentArm> Arms { get; init; }

    /// <summary>When it stops by itself.</summary>
    public ExperimentGuardrails Guardrails { get; init; } = new();

    /// <summary>Whether it runs.</summary>
    public ExperimentStatus Status { get; init; } = ExperimentStatus.Running;

    /// <summary>When it started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Who started it (a principal id).</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When it stopped.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>Who stopped it (a principal id, or <c>helix</c> when it stopped by itself).</summary>
    public string? StoppedBy { get; init; }

    /// <summary>Why it stopped.</summary>
    public string? StopReason { get; init; }

    /// <summary>The arm that won, when one did.</summary>
    public string? Winner { get; init; }

    /// <summary>The control arm.</summary>
    public ExperimentArm Control => Arms[0];
}
