using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Pipeline;

/// <summary>One try of one model within a call: started by the retry step, ended in exactly one place.</summary>
/// <remarks>
/// <para>
/// An attempt ends once: when the provider's complete answer or error is in, when it threw or the caller went away,
/// or, for a stream, when the stream ends or is abandoned. <see cref="EndAsync"/> records how it ended, then runs the
/// callbacks steps registered with <see cref="OnEnded"/>, last registered first (the inner step settles before the
/// outer one: the cost is known before the row is written, the row is durable before a reservation is released).
/// </para>
/// <para>Not thread-safe: one call's steps use it in turn. <see cref="EndAsync"/> is safe to race: only the first call ends it.</para>
/// </remarks>
public sealed class Attempt
{
    private readonly List<Func<Attempt, ValueTask>> _onEnded = new(4);
    private List<(CancellationToken Token, string Reason)>? _timeouts;
    private int _ended;

    internal Attempt(OperationContext context, int number, ModelConfig target, DateTimeOffset started, long startedTimestamp)
    {
        Context = context;
        Number = number;
        Target = target;
        Started = started;
        StartedTimestamp = startedTimestamp;
        Estimate = context.Estimate;
        EstimatedCostUsd = context.WorstCaseCostUsd;
        Price = context.Price;
        CancellationToken = context.CancellationToken;
    }

    /// <summary>The call the attempt belongs to.</summary>
    public OperationContext Context { get; }

    /// <summary>1 for the call's first attempt, counting across fallbacks.</summary>
    public int Number { get; }

    /// <summary>The model tried.</summary>
    public ModelConfig Target { get; }

    /// <summary>When the attempt started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> at the start, for its latency.</summary>
    public long StartedTimestamp { get; }

    /// <summary>The worst-case meters of the call on this model.</summary>
    public UsageMeters Estimate { get; }

    /// <summary>The worst-case cost on this model, or <see langword="null"/> when it has no price.</summary>
    public decimal? EstimatedCostUsd { get; }

    /// <summary>The model's price in force at the start, or <see langword="null"/>.</summary>
    public PriceEntry? Price { get; }

    /// <summary>The token the provider call gets; steps narrow it (per-attempt timeout).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Why <see cref="CancellationToken"/> fired when the caller did not cancel: the first timeout that fired.</summary>
    public string? TimeoutReason
    {
        get
        {
            if (_timeouts is not null)
            {
                foreach (var (token, reason) in _timeouts)
                {
                    if (token.IsCancellationRequested)
                    {
                        return reason;
                    }
                }
            }

            return Context.DeadlineToken.IsCancellationRequested ? Context.DeadlineReason : null;
        }
    }

    /// <summary>Narrows <see cref="CancellationToken"/> by a timeout; <paramref name="reason"/> is what the log says when it fires.</summary>
    /// <param name="reason">A sentence naming the timeout and its value.</param>
    /// <param name="timeout">The timeout's own token.</param>
    /// <param name="linked">The attempt's token linked with <paramref name="timeout"/>; becomes <see cref="CancellationToken"/>.</param>
    public void AddTimeout(string reason, CancellationToken timeout, CancellationToken linked)
    {
        (_timeouts ??= new(2)).Add((timeout, reason));
        CancellationToken = linked;
    }

    /// <summary>The commit of the attempt's open-attempt record (completed when the pipeline journals nothing).</summary>
    /// <remarks>
    /// The provider call may start while it is pending, but the provider must not receive the whole request before it
    /// succeeded (<see cref="ChatCall.RecordCommitted"/>), and the attempt is neither ended nor answered before it.
    /// </remarks>
    public Task RecordCommitted { get; internal set; } = Task.CompletedTask;

    /// <summary>Whether the provider was called (the attempt counts and will be logged).</summary>
    public bool IsStarted { get; internal set; }

    /// <summary>The provider's answer, once it began.</summary>
    public IMeteredResponse? Response { get; internal set; }

    /// <summary>The provider's error, when the attempt failed with one.</summary>
    public ProviderError? Error { get; internal set; }

    /// <summary>Whether the attempt ended.</summary>
    public bool HasEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>How the attempt ended.</summary>
    public AttemptStatus Status { get; private set; }

    /// <summary>Whether the attempt costs money.</summary>
    public AttemptBilling Billing { get; private set; }

    /// <summary>The stable error code of an attempt that did not succeed.</summary>
    public string? ErrorCode { get; private set; }

    /// <summary>The provider's HTTP status, when known.</summary>
    public int? HttpStatus { get; private set; }

    /// <summary>What the provider reported.</summary>
    public UsageReport Usage { get; private set; }

    /// <summary>Why the attempt costs what it costs, when not simply priced (set with the end).</summary>
    public string? BillingReason { get; private set; }

    /// <summary>Milliseconds from start to end.</summary>
    public double LatencyMs { get; private set; }

    /// <summary>The cost, set by the metering step when the attempt ends.</summary>
    public CostResult Cost { get; set; }

    /// <summary>Registers a callback run once when the attempt ends; callbacks run last registered first.</summary>
    /// <exception cref="InvalidOperationException">The attempt already ended.</exception>
    public void OnEnded(Func<Attempt, ValueTask> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (HasEnded)
        {
            throw new InvalidOperationException($"Attempt {Number} of call {Context.RequestId} already ended.");
        }

        _onEnded.Add(callback);
    }

    /// <summary>Ends the attempt and runs its end callbacks; only the first call does anything.</summary>
    /// <remarks>Every callback runs even if one throws; the first exception is rethrown after the last callback.</remarks>
    /// <param name="status">How it ended.</param>
    /// <param name="billing">Whether it costs money.</param>
    /// <param name="usage">What the provider reported.</param>
    /// <param name="errorCode">The stable error code, when it did not succeed.</param>
    /// <param name="httpStatus">The provider's HTTP status, when known.</param>
    /// <param name="reason">Why it costs what it costs, when not simply priced.</param>
    /// <param name="latencyMs">Milliseconds from start to end.</param>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask EndAsync(
        AttemptStatus status, AttemptBilling billing, UsageReport usage, string? errorCode, int? httpStatus, string? reason, double latencyMs)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return;
        }

        Status = status;
        Billing = billing;
        Usage = usage;
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
        BillingReason = reason;
        LatencyMs = latencyMs;
        Exception? first = null;
        for (var i = _onEnded.Count - 1; i >= 0; i--)
        {
            try
            {
                await _onEnded[i](this);
            }
            catch (Exception ex) when (first is null)
            {
                first = ex;
            }
        }

        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }
}
