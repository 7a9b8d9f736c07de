using System.Runtime.CompilerServices;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Resilience;

namespace Helix.Core.OperationLog;

/// <summary>Logs a call that could not be tried because none of its models has a configured provider.</summary>
/// <remarks>
/// Per call, before failover. Such a call reached no provider, yet it is an operation someone asked for and Helix
/// refused: it gets one row (<c>provider_not_configured</c>, not billed, no estimate) so that the log shows it
/// like any other refused call, and the caller's error waits until that row is durable. Thread-safe.
/// </remarks>
public sealed class RefusedCallLogStep : IOperationStep
{
    private readonly OperationLogWriter _log;
    private readonly TimeProvider _time;

    /// <summary>Creates the step over <paramref name="log"/>.</summary>
    public RefusedCallLogStep(OperationLogWriter log, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        _log = log;
        _time = time;
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var error = await next(context);
        if (error is null || context.Attempts.Count != 0 || context.Skipped.Count == 0 || context.Route is not { } decision)
        {
            return error;
        }

        foreach (var skip in context.Skipped)
        {
            if (skip.Code != FailoverStep.ProviderNotConfigured)
            {
                return error;
            }
        }

        var primary = decision.Targets[0];
        await _log.AppendAsync(new OperationLogEntry
        {
            RequestId = context.RequestId,
            Timestamp = _time.GetUtcNow(),
            Operation = context.Operation,
            Principal = context.Principal.Id,
            User = context.User,
            Provider = primary.Provider,
            Model = primary.Id,
            Attempt = 1,
            Status = AttemptStatus.Failed,
            ErrorCode = FailoverStep.ProviderNotConfigured,
            LatencyMs = _time.GetElapsedTime(context.StartedTimestamp).TotalMilliseconds,
            Streamed = context.Call.Streamed,
            CostUsd = 0m,
            CostStatus = CostStatus.NotBilled,
            CostReason = $"refused: no provider is configured for any model of the route ({string.Join("; ", context.Skipped.Select(s => s.Reason))})",
        });
        return error;
    }
}
