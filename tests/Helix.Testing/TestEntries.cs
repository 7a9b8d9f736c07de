using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;

namespace Helix.Testing;

/// <summary>Builds operation log rows for tests, with sensible values for every required field.</summary>
public static class TestEntries
{
    /// <summary>A moment every test can share: 2026-03-02 10:00 UTC, a Monday.</summary>
    public static DateTimeOffset Epoch { get; } = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A successful, priced attempt.</summary>
    /// <param name="requestId">The call's id.</param>
    /// <param name="attempt">The attempt number.</param>
    /// <param name="at">When the attempt started; <see cref="Epoch"/> by default.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="model">The catalog id of the model; its provider is the part before the slash.</param>
    /// <param name="costUsd">The cost.</param>
    /// <param name="user">The end user.</param>
    public static OperationLogEntry Success(
        string requestId, int attempt = 1, DateTimeOffset? at = null, string operation = "chat", string model = "openai/gpt-4o-mini",
        decimal costUsd = 0.0001m, string? user = null) => new()
        {
            RequestId = requestId,
            Timestamp = at ?? Epoch,
            Operation = operation,
            Principal = "test-key",
            User = user,
            Provider = model.Split('/')[0],
            Model = model,
            Attempt = attempt,
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
    public static OperationLogEntry Failure(
        string requestId, int attempt = 1, DateTimeOffset? at = null, string errorCode = "upstream_server_error", int? httpStatus = 500,
        string operation = "chat", string model = "openai/gpt-4o-mini") =>
        Success(requestId, attempt, at, operation, model) with
        {
            Status = AttemptStatus.Failed,
            ErrorCode = errorCode,
            HttpStatus = httpStatus,
            UsageKnown = false,
            Meters = default,
            CostUsd = 0m,
            CostStatus = CostStatus.NotBilled,
            CostReason = "failed call",
            PriceSource = null,
            PriceSourceDate = null,
        };
}
