using Helix.Core.Pricing;

namespace Helix.Core.OperationLog;

/// <summary>A provider attempt that has started and not yet ended: the journal entry written before the call.</summary>
/// <remarks>
/// Immutable. It is durable before the provider is called and removed in the same transaction that stores the
/// attempt's final log row (matched by <see cref="RequestId"/> and <see cref="Attempt"/>); one still open at
/// start-up was left by a process that died during the call, and recovery turns it into an
/// <see cref="AttemptStatus.Interrupted"/> row (<see cref="ToInterruptedEntry"/>).
/// </remarks>
public sealed record OpenAttempt
{
    /// <summary>The log code of a row written for an attempt the process did not live to finish.</summary>
    public const string InterruptedCode = "process_interrupted";

    public required string RequestId { get; init; }

    /// <summary>The attempt number, as the final row will carry it.</summary>
    public required int Attempt { get; init; }

    /// <summary>When the attempt started.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    public required string Operation { get; init; }

    public required string Principal { get; init; }

    public string? User { get; init; }

    public required string Provider { get; init; }

    /// <summary>The catalog id of the model called.</summary>
    public required string Model { get; init; }

    public bool Streamed { get; init; }

    /// <summary>The worst-case cost estimated before the call, or <see langword="null"/> when the model has no price.</summary>
    public decimal? EstimatedCostUsd { get; init; }

    /// <summary>The A/B experiment the attempt ran under, or <see langword="null"/>; carried to the interrupted row.</summary>
    public string? ExperimentId { get; init; }

    /// <summary>The experiment's arm (<c>control</c> or a candidate's model), or <see langword="null"/>.</summary>
    public string? ExperimentArm { get; init; }

    /// <summary>The log row recovery writes for this attempt: interrupted, usage unknown, its worst case as the cost.</summary>
    public OperationLogEntry ToInterruptedEntry() => new()
    {
        RequestId = RequestId,
        Timestamp = Timestamp,
        Operation = Operation,
        Principal = Principal,
        User = User,
        Provider = Provider,
        Model = Model,
        Attempt = Attempt,
        Status = AttemptStatus.Interrupted,
        ErrorCode = InterruptedCode,

        // How long the call ran before the process stopped is not known.
        LatencyMs = 0,
        Streamed = Streamed,
        UsageKnown = false,
        CostUsd = EstimatedCostUsd,
        CostStatus = EstimatedCostUsd is null ? CostStatus.Unpriced : CostStatus.Estimated,
        CostReason = EstimatedCostUsd is null
            ? "the process stopped during the provider call, so the billed amount is unknown, and the model had no price for a worst case"
            : "the process stopped during the provider call, so the billed amount is unknown; the worst case estimated before the call is recorded",
        EstimatedCostUsd = EstimatedCostUsd,
        ExperimentId = ExperimentId,
        ExperimentArm = ExperimentArm,
    };
}
