using System.Globalization;
using Helix.Core.OperationLog;
using Helix.Gateway.DataPlane;

namespace Helix.Gateway.Admin;

/// <summary>One operation-log row as the admin API shows it; money as decimal strings, never floats.</summary>
internal sealed record LogItem
{
    public required long Id { get; init; }
    public required string RequestId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string Operation { get; init; }
    public required string Principal { get; init; }
    // The key's name next to its id (the log keeps the id only); for a principal that is no key, its id.
    public required string PrincipalName { get; init; }
    // Documented as always present: null when the call named no end user.
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public string? User { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public string? ReportedModel { get; init; }
    public required int Attempt { get; init; }
    public required string Status { get; init; }
    public string? ErrorCode { get; init; }
    public int? HttpStatus { get; init; }
    public required double LatencyMs { get; init; }
    public required bool Streamed { get; init; }
    public required bool UsageKnown { get; init; }
    public long InputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWrite5mTokens { get; init; }
    public long CacheWrite1hTokens { get; init; }
    public long InputAudioTokens { get; init; }
    public long CacheReadAudioTokens { get; init; }
    public long InputImageTokens { get; init; }
    public long InputVideoTokens { get; init; }
    public long ToolPromptTokens { get; init; }
    public long OutputTokens { get; init; }
    public long ReasoningTokens { get; init; }
    public long OutputAudioTokens { get; init; }
    public string AudioSeconds { get; init; } = "0";
    public long Characters { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public string? CostUsd { get; init; }
    public required string CostStatus { get; init; }
    public string? CostReason { get; init; }
    public string? EstimatedCostUsd { get; init; }
    public string? RepricedCostUsd { get; init; }
    public string? PriceSource { get; init; }
    public string? PriceSourceDate { get; init; }
    public string? ServiceTier { get; init; }
    public string? ProviderRequestId { get; init; }
    public string? ExperimentId { get; init; }
    public string? ExperimentArm { get; init; }

    public static LogItem From(OperationLogEntry e, string? principalName = null) => new()
    {
        Id = e.Id,
        RequestId = e.RequestId,
        Timestamp = e.Timestamp,
        Operation = e.Operation,
        Principal = e.Principal,
        PrincipalName = principalName ?? e.Principal,
        User = e.User,
        Provider = e.Provider,
        Model = e.Model,
        ReportedModel = e.ReportedModel,
        Attempt = e.Attempt,
        Status = e.Status.ToString().ToLowerInvariant(),
        ErrorCode = e.ErrorCode,
        HttpStatus = e.HttpStatus,
        LatencyMs = Math.Round(e.LatencyMs, 3),
        Streamed = e.Streamed,
        UsageKnown = e.UsageKnown,
        InputTokens = e.Meters.InputTokens,
        CacheReadTokens = e.Meters.CacheReadTokens,
        CacheWrite5mTokens = e.Meters.CacheWrite5mTokens,
        CacheWrite1hTokens = e.Meters.CacheWrite1hTokens,
        InputAudioTokens = e.Meters.InputAudioTokens,
        CacheReadAudioTokens = e.Meters.CacheReadAudioTokens,
        InputImageTokens = e.Meters.InputImageTokens,
        InputVideoTokens = e.Meters.InputVideoTokens,
        ToolPromptTokens = e.Meters.ToolPromptTokens,
        OutputTokens = e.Meters.OutputTokens,
        ReasoningTokens = e.Meters.ReasoningTokens,
        OutputAudioTokens = e.Meters.OutputAudioTokens,
        AudioSeconds = Usd.Format(e.Meters.AudioSeconds),
        Characters = e.Meters.Characters,
        PromptTokens = e.Meters.PromptTokens + e.Meters.ToolPromptTokens,
        CompletionTokens = e.Meters.CompletionTokens,
        CostUsd = Money(e.CostUsd),
        CostStatus = ChatCompletionsEndpoint.StatusName(e.CostStatus),
        CostReason = e.CostReason,
        EstimatedCostUsd = Money(e.EstimatedCostUsd),
        RepricedCostUsd = Money(e.RepricedCostUsd),
        PriceSource = e.PriceSource,
        PriceSourceDate = e.PriceSourceDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ServiceTier = e.ServiceTier,
        ProviderRequestId = e.ProviderRequestId,
        ExperimentId = e.ExperimentId,
        ExperimentArm = e.ExperimentArm,
    };

    public static string? Money(decimal? value) => Usd.Format(value);
}
