using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;

namespace Helix.Storage.Sqlite.Tests;

/// <summary>Operation log rows for the store tests, with sensible values for every required field.</summary>
public static class LogRows
{
    /// <summary>The instant rows default to: 2026-03-02 10:00 UTC.</summary>
    public static DateTimeOffset Epoch { get; } = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A successful, priced attempt.</summary>
    public static OperationLogEntry Success(
        string requestId, DateTimeOffset? at = null, string operation = "chat", string model = "openai/gpt-4o-mini",
        decimal costUsd = 0.0001m, string? user = null) => new()
        {
            RequestId = requestId,
            Timestamp = at ?? Epoch,
            Operation = operation,
            Principal = "test-key",
            User = user,
            Provider = model.Split('/')[0],
            Model = model,
            Attempt = 1,
            Status = AttemptStatus.Success,
            LatencyMs = 12.5,
            UsageKnown = true,
            Meters = new UsageMeters { InputTokens = 100, OutputTokens = 20 },
            CostUsd = costUsd,
            CostStatus = CostStatus.Priced,
            PriceSource = "test",
            PriceSourceDate = new DateOnly(2026, 1, 1),
        };

    /// <summary>A failed attempt the provider does not bill.</summary>
    public static OperationLogEntry Failure(string requestId) =>
        Success(requestId) with
        {
            Status = AttemptStatus.Failed,
            ErrorCode = "upstream_server_error",
            HttpStatus = 500,
            UsageKnown = false,
            Meters = default,
            CostUsd = 0m,
            CostStatus = CostStatus.NotBilled,
            CostReason = "failed call",
            PriceSource = null,
            PriceSourceDate = null,
        };
}
