using System.Runtime.CompilerServices;
using Helix.Core.Pipeline;

namespace Helix.Core.OperationLog;

/// <summary>Journals each attempt before its provider is called, and writes its row when that attempt ends.</summary>
/// <remarks>
/// <para>
/// Per attempt. The <see cref="OpenAttempt"/> (with the attempt's worst-case cost) is durable before the provider
/// can act on the call, so a process killed during the call leaves it to start-up recovery. By default its commit is
/// awaited here; with <see cref="PipelineServices.OverlapRecordCommit"/> it is not: it is handed on as
/// <see cref="Attempt.RecordCommitted"/>, the provider request starts meanwhile and only its last bytes wait for it,
/// and nothing ends the attempt before it succeeded (docs/durability.md). A failed commit is
/// rethrown (<see cref="StoreUnavailableException"/>) with the attempt unended, as if it had failed before the
/// provider call. When the attempt ends, its row
/// is written through the same group commit and closes the record in the same transaction; the attempt's end (and so
/// the answer, or a stream's final usage chunk) waits until the row is durable. Steps that refuse an attempt belong
/// before this one: an attempt refused after it is journalled is closed with a row that says nothing was sent.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class OperationLogStep : IOperationStep
{
    private readonly OperationLogWriter _log;
    private readonly TimeProvider _time;
    private readonly Func<Attempt, ValueTask> _writeRow;
    private readonly bool _overlap;

    /// <summary>Creates the step over <paramref name="log"/>.</summary>
    /// <param name="log">The operation log's writer.</param>
    /// <param name="time">The clock.</param>
    /// <param name="overlap">Whether the provider request may start while the record commits (<see cref="PipelineServices.OverlapRecordCommit"/>).</param>
    public OperationLogStep(OperationLogWriter log, TimeProvider time, bool overlap = false)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        _log = log;
        _time = time;
        _writeRow = WriteRowAsync;
        _overlap = overlap;
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var attempt = context.Attempt ?? throw new InvalidOperationException("The operation log runs per attempt: add it after UseRetry.");
        var open = new OpenAttempt
        {
            RequestId = context.RequestId,
            Attempt = attempt.Number,
            Timestamp = attempt.Started,
            Operation = context.Operation,
            Principal = context.Principal.Id,
            User = context.User,
            Provider = attempt.Target.Provider,
            Model = attempt.Target.Id,
            Streamed = context.Call.Streamed,
            EstimatedCostUsd = attempt.EstimatedCostUsd,
            ExperimentId = context.Experiment?.ExperimentId,
            ExperimentArm = context.Experiment?.Arm,
        };

        // An idle writer commits on the thread that queues the record (OperationLogWriter), so to overlap, the record
        // is queued from the thread pool; a store known to be failing refuses at once in both modes.
        var record = _overlap && _log.IsStoreAvailable ? Task.Run(() => _log.OpenAsync(open)) : _log.OpenAsync(open);
        if (!_overlap || record.IsFaulted)
        {
            // Without the overlap the record is durable before the rest of the pipeline runs; a known failure stops
            // here in both modes, as before any provider.
            await record;
        }

        attempt.RecordCommitted = record;
        attempt.OnEnded(_writeRow);
        GatewayError? result;
        try
        {
            result = await next(context);
        }
        catch (Exception) when (!attempt.IsStarted)
        {
            await record;
            await EndUnsentAsync(attempt);
            throw;
        }

        if (!attempt.IsStarted)
        {
            await record;
            await EndUnsentAsync(attempt);
        }

        return result;
    }

    /// <summary>The row of an ended attempt.</summary>
    public static OperationLogEntry RowOf(Attempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var context = attempt.Context;
        var usage = attempt.Usage;
        var cost = attempt.Cost;
        return new OperationLogEntry
        {
            RequestId = context.RequestId,
            Timestamp = attempt.Started,
            Operation = context.Operation,
            Principal = context.Principal.Id,
            User = context.User,
            Provider = attempt.Target.Provider,
            Model = attempt.Target.Id,
            ReportedModel = usage.ReportedModel,
            Attempt = attempt.Number,
            Status = attempt.Status,
            ErrorCode = attempt.ErrorCode,
            HttpStatus = attempt.HttpStatus,
            LatencyMs = attempt.LatencyMs,
            Streamed = context.Call.Streamed,
            UsageKnown = usage.IsKnown,
            Meters = usage.Meters,
            CostUsd = cost.TotalUsd,
            CostStatus = cost.Status,
            CostReason = cost.Reason,

            // Nothing was sent, so nothing could cost: the row carries no estimate that a report could add up.
            EstimatedCostUsd = attempt.Billing == AttemptBilling.NotSent ? null : attempt.EstimatedCostUsd,
            PriceSource = cost.Price?.Source,
            PriceSourceDate = cost.Price?.SourceDate,
            ServiceTier = usage.ServiceTier ?? context.Call.ServiceTier,
            ProviderRequestId = usage.ProviderRequestId,
            ExperimentId = context.Experiment?.ExperimentId,
            ExperimentArm = context.Experiment?.Arm,
            RequestedMaxTokens = context.Call.RequestedMaxTokens,
            PromptPrefixHash = context.Call.PromptPrefixHash,
        };
    }

    private ValueTask EndUnsentAsync(Attempt attempt) =>
        attempt.EndAsync(AttemptStatus.Failed, AttemptBilling.NotSent, default, "request_not_sent", null,
            "a step refused the attempt after it was journalled; nothing reached the provider",
            _time.GetElapsedTime(attempt.StartedTimestamp).TotalMilliseconds);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteRowAsync(Attempt attempt)
    {
        // The row closes the record in its transaction: it follows the record's commit, never joins it.
        await attempt.RecordCommitted;
        await _log.AppendAsync(RowOf(attempt));
    }
}
