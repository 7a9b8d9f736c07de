using Helix.Core.Metering;
using Helix.Core.Pricing;

namespace Helix.Core.OperationLog;

/// <summary>One attempt of one call: who, which operation, which model, usage, cost, latency, outcome.</summary>
/// <remarks>Immutable and append-only: a row is never updated in place; a re-pricing is a separate adjustment.</remarks>
public sealed record OperationLogEntry
{
    /// <summary>The store's sequence number (0 until stored).</summary>
    public long Id { get; init; }

    /// <summary>Helix's id of the call; every attempt of a call shares it.</summary>
    public required string RequestId { get; init; }

    /// <summary>When the attempt started.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    public required string Operation { get; init; }

    /// <summary>Who called (an application key's name, an admin, an agent).</summary>
    public required string Principal { get; init; }

    /// <summary>The end user the caller named, if any.</summary>
    public string? User { get; init; }

    public required string Provider { get; init; }

    /// <summary>The catalog id of the model tried.</summary>
    public required string Model { get; init; }

    /// <summary>The model the response named, if it named one.</summary>
    public string? ReportedModel { get; init; }

    /// <summary>1 for the first attempt of the call, counting across fallbacks.</summary>
    public required int Attempt { get; init; }

    public required AttemptStatus Status { get; init; }

    /// <summary>The stable error code of a failed attempt.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The provider's HTTP status, if there was one.</summary>
    public int? HttpStatus { get; init; }

    public required double LatencyMs { get; init; }

    public bool Streamed { get; init; }

    /// <summary>Whether the provider reported usage; when not, <see cref="CostUsd"/> is an estimate.</summary>
    public bool UsageKnown { get; init; }

    public UsageMeters Meters { get; init; }

    /// <summary>The cost in USD, unrounded; <see langword="null"/> when unpriced.</summary>
    public decimal? CostUsd { get; init; }

    public CostStatus CostStatus { get; init; }

    /// <summary>Why the cost is estimated, unpriced or zero.</summary>
    public string? CostReason { get; init; }

    /// <summary>The worst-case cost estimated before the call (input tokens counted, output at its cap).</summary>
    public decimal? EstimatedCostUsd { get; init; }

    /// <summary>Where the price came from.</summary>
    public string? PriceSource { get; init; }

    /// <summary>When the price's source was read.</summary>
    public DateOnly? PriceSourceDate { get; init; }

    public string? ServiceTier { get; init; }

    /// <summary>The provider's id of the call, for reconciliation.</summary>
    public string? ProviderRequestId { get; init; }

    /// <summary>The A/B experiment the call ran under, if any.</summary>
    public string? ExperimentId { get; init; }

    /// <summary>The experiment's arm the call ran under, if any.</summary>
    public string? ExperimentArm { get; init; }

    /// <summary>
    /// The output cap the caller asked for (<c>max_tokens</c> / <c>max_completion_tokens</c>), if any: with the output
    /// tokens used it shows where a cap far above use could be lowered. Stored in column <c>requested_max_tokens</c>.
    /// </summary>
    public int? RequestedMaxTokens { get; init; }

    /// <summary>
    /// A hash of the request's leading prompt (its system and first messages), if the call had one: rows sharing it
    /// show a repeated prompt prefix that prompt caching could serve. Stored in column <c>prompt_prefix_hash</c>.
    /// </summary>
    public string? PromptPrefixHash { get; init; }

    /// <summary>The latest re-priced cost, when the row was re-priced after a price fix (read model; the row keeps <see cref="CostUsd"/>).</summary>
    public decimal? RepricedCostUsd { get; init; }

    /// <summary>The cost that counts: the re-priced one when there is one, else the original.</summary>
    public decimal? EffectiveCostUsd => RepricedCostUsd ?? CostUsd;
}
