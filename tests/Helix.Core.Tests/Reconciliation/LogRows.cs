using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;

namespace Helix.Core.Tests.Reconciliation;

/// <summary>Operation log rows for reconciliation tests.</summary>
internal static class LogRows
{
    private static int s_next;

    public static OperationLogEntry Priced(
        string provider, string model, DateTimeOffset at, decimal cost, string? reportedModel = null, UsageMeters meters = default) => new()
        {
            RequestId = "req-" + Interlocked.Increment(ref s_next),
            Timestamp = at,
            Operation = "chat",
            Principal = "app:test",
            Provider = provider,
            Model = provider + "/" + model,
            ReportedModel = reportedModel,
            Attempt = 1,
            Status = AttemptStatus.Success,
            LatencyMs = 120,
            UsageKnown = true,
            Meters = meters,
            CostUsd = cost,
            CostStatus = CostStatus.Priced,
        };

    public static DateTimeOffset At(int month, int day, int hour = 12) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);
}
