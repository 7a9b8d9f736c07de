using System.Diagnostics;
using System.Text.Json.Nodes;
using Helix.Core.Alerts;
using Helix.Core.Budgets;
using Helix.Core.Estimation;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Microsoft.Extensions.Logging;

namespace Helix.Core.Pipeline;

/// <summary>Runs a call through the control plane: route, estimate, call with retry and fallback, price, log.</summary>
/// <remarks>
/// <para>
/// One call, in order: the route comes from the in-memory snapshot (no I/O); the request's worst-case cost is
/// estimated with a tokenizer; each model of the route's chain is tried, skipping models whose circuit is open
/// (and, under the <see cref="UnknownPricePolicy.Block"/> policy, models without a price); an attempt that fails
/// with a retryable error is retried with jittered backoff that honours <c>retry-after</c>, within a per-attempt
/// timeout and an overall deadline; the answer is priced from the provider's own usage; every attempt becomes a
/// log row, and the call returns only once its rows are durable (group commit, shared by concurrent calls).
/// </para>
/// <para>
/// Before each attempt reaches a provider, an <see cref="OpenAttempt"/> carrying its worst-case cost is made durable
/// through the same group commit; the attempt's row closes it. If the process dies in between, start-up recovery
/// logs the attempt as interrupted at that worst case, so no call a provider may bill is ever missing from the log.
/// </para>
/// <para>Expected failures are <see cref="GatewayError"/> values. Thread-safe; one instance serves every call.</para>
/// </remarks>
public sealed partial class OperationPipeline
{
    private const string ProviderExceptionCode = "provider_exception";

    private readonly RouteTable _routes;
    private readonly ProviderRegistry _providers;
    private readonly CostEngine _costs;
    private readonly OperationLogWriter _log;
    private readonly CircuitBreakerRegistry _circuits;
    private readonly ResilienceOptions _resilience;
    private readonly IAlertSink _alerts;
    private readonly TimeProvider _time;
    private readonly ILogger<OperationPipeline> _logger;
    private readonly BudgetReservation? _budgets;

    public OperationPipeline(
        RouteTable routes,
        ProviderRegistry providers,
        CostEngine costs,
        OperationLogWriter log,
        CircuitBreakerRegistry circuits,
        ResilienceOptions resilience,
        IAlertSink alerts,
        TimeProvider time,
        ILogger<OperationPipeline> logger,
        BudgetReservation? budgets = null)
    {
        _budgets = budgets;
        _routes = routes;
        _providers = providers;
        _costs = costs;
        _log = log;
        _circuits = circuits;
        _resilience = resilience;
        _alerts = alerts;
        _time = time;
        _logger = logger;
    }

    /// <summary>Makes a non-streaming chat call.</summary>
    /// <param name="request">Who calls which operation.</param>
    /// <param name="body">The OpenAI-shaped request; not mutated.</param>
    /// <param name="cancellationToken">The caller's token; a cancelled call is logged as cancelled.</param>
    public async Task<Result<ChatOutcome>> CompleteChatAsync(OperationRequest request, JsonObject body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var attempt = await RunAsync(request, body, streamed: false,
            static (provider, call, ct) => provider.CompleteAsync(call, ct), cancellationToken);
        if (!attempt.IsSuccess)
        {
            return attempt.Error;
        }

        var run = attempt.Value;
        var completion = run.Value;
        var cost = PriceOrEstimate(run, completion.Usage, producedText: null);
        run.Rows.Add(Row(run, AttemptStatus.Success, run.Started, run.LatencyMs, streamed: false, completion.Usage, cost));
        await _log.AppendAsync(run.Rows);
        return new ChatOutcome(request.RequestId, request.Operation, run.Target, completion, cost, run.AttemptNumber);
    }

    /// <summary>Opens a streaming chat call; fallback happens only before the first chunk.</summary>
    public async Task<Result<ChatStreamOutcome>> StreamChatAsync(OperationRequest request, JsonObject body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var attempt = await RunAsync(request, body, streamed: true,
            static (provider, call, ct) => provider.StreamAsync(call, ct), cancellationToken);
        if (!attempt.IsSuccess)
        {
            return attempt.Error;
        }

        var run = attempt.Value;
        if (run.Rows.Count > 0)
        {
            await _log.AppendAsync([.. run.Rows]);
            run.Rows.Clear();
        }

        return new ChatStreamOutcome(request.RequestId, request.Operation, run.Target, run.AttemptNumber, run.Value,
            outcome => SettleStreamAsync(run, outcome));
    }

    private async Task<CostResult> SettleStreamAsync(Run<IChatCompletionStream> run, ChatStreamOutcome outcome)
    {
        var stream = outcome.Inner;
        var latency = _time.GetElapsedTime(run.StartedTicks).TotalMilliseconds;
        var cost = PriceOrEstimate(run, stream.Usage, stream.StreamedText);
        var (status, errorCode) = outcome.End switch
        {
            ChatStreamOutcome.Ending.Abandoned => (AttemptStatus.Cancelled, "client_disconnected"),
            ChatStreamOutcome.Ending.Faulted => (AttemptStatus.Failed, stream.Error?.LogCode ?? ProviderExceptionCode),
            _ when stream.Error is { } error => (AttemptStatus.Failed, error.LogCode),
            _ => (AttemptStatus.Success, null),
        };
        var row = Row(run, status, run.Started, latency, streamed: true, stream.Usage, cost) with
        {
            ErrorCode = errorCode,
            HttpStatus = stream.Error?.StatusCode,
        };
        await _log.AppendAsync(row);

        // The stream held the circuit's half-open trial (if it was one) until now: give a verdict or release it.
        var circuit = _circuits.For(run.Target.Id);
        if (status == AttemptStatus.Success)
        {
            circuit.RecordSuccess();
        }
        else if (status == AttemptStatus.Failed && stream.Error is { CountsAgainstHealth: true })
        {
            circuit.RecordFailure();
        }
        else
        {
            circuit.ReleaseTrial();
        }

        return cost;
    }

    private CostResult PriceOrEstimate<T>(Run<T> run, in UsageReport usage, string? producedText)
    {
        var target = run.Target;
        if (usage.IsKnown)
        {
            var cost = _costs.Price(target.Provider, target.ProviderModel, usage, run.Started, ServiceTierOf(run.Body));
            if (cost.Status == CostStatus.Unpriced)
            {
                _alerts.Raise(new Alert("price_unknown", cost.Reason ?? "No price.", run.Request.Operation, target.Id, _time.GetUtcNow()));
            }

            return cost;
        }

        // The provider billed the call but never said how much it used: price an estimate and flag it, never 0.
        var meters = ChatRequestEstimator.EstimateUsage(run.Estimate, producedText);
        _alerts.Raise(new Alert("usage_unknown", $"Call {run.Request.RequestId} ended without usage; its cost is estimated.", run.Request.Operation, target.Id, _time.GetUtcNow()));
        if (!_costs.TryFindPrice(target.Provider, target.ProviderModel, usage.ReportedModel, run.Started, out var price))
        {
            var reason = $"usage unknown and no price for {target.Id}";
            _alerts.Raise(new Alert("price_unknown", reason, run.Request.Operation, target.Id, _time.GetUtcNow()));
            return CostResult.Unpriced(null, reason);
        }

        var estimated = CostCalculator.Calculate(price!, meters, ServiceTierOf(run.Body), run.Started);
        return estimated with { Status = CostStatus.Estimated, Reason = "usage unknown: estimated from the request and the streamed text" };
    }

    private async Task<Result<Run<T>>> RunAsync<T>(
        OperationRequest request,
        JsonObject body,
        bool streamed,
        Func<IChatProvider, ChatCall, CancellationToken, Task<ProviderResult<T>>> invoke,
        CancellationToken cancellationToken)
    {
        var snapshot = _routes.Current;
        if (!snapshot.TryGetRoute(request.Operation, out var decision))
        {
            return GatewayError.UnknownOperation(request.Operation);
        }

        var route = decision.Route;
        if (!route.Enabled)
        {
            return GatewayError.OperationDisabled(request.Operation);
        }

        if (route.Modality != Modality.Chat)
        {
            return GatewayError.InvalidRequest($"Operation '{route.Operation}' makes {route.Modality} calls, not chat completions.", "operation_modality_mismatch");
        }

        var estimate = ChatRequestEstimator.Estimate(body);
        var serviceTier = ServiceTierOf(body);

        // Both timers run on the injected clock, like every other time in Helix. The deadline bounds the whole call:
        // once it passes no further model is tried, and a retry that would wait past it falls back instead.
        var callStarted = _time.GetTimestamp();
        using var deadlineTimer = new CancellationTokenSource(_resilience.OverallDeadline, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineTimer.Token);

        var rows = new List<OperationLogEntry>(2);
        var attemptNumber = 0;
        ProviderError? lastError = null;
        var skipped = new List<string>();
        var blockedUnpriced = 0;
        foreach (var target in decision.Targets)
        {
            if (deadline.IsCancellationRequested)
            {
                break;
            }

            var now = _time.GetUtcNow();
            _costs.TryFindPrice(target.Provider, target.ProviderModel, null, now, out var price);
            if (price is null && route.UnknownPricePolicy == UnknownPricePolicy.Block)
            {
                skipped.Add($"{target.Id} has no price and the route blocks unpriced models");
                blockedUnpriced++;
                continue;
            }

            if (!_providers.TryGetChat(target.Provider, out var provider))
            {
                skipped.Add($"{target.Id}: provider '{target.Provider}' is not configured");
                continue;
            }

            var circuit = _circuits.For(target.Id);
            if (!circuit.TryEnter())
            {
                skipped.Add($"{target.Id}: circuit open after repeated failures");
                continue;
            }

            var estimatedCost = ChatRequestEstimator.WorstCaseCost(estimate, target, price, now, serviceTier);
            var call = new ChatCall { Model = target, Request = body, RequestId = request.RequestId };
            for (var retry = 0; retry <= _resilience.MaxRetriesPerModel; retry++)
            {
                attemptNumber++;

                // Reserved before the attempt's journal record, refused before any provider is called.
                if (_budgets?.TryReserve(request, attemptNumber, estimatedCost) is { } refused)
                {
                    circuit.ReleaseTrial();
                    if (rows.Count > 0)
                    {
                        await _log.AppendAsync(rows);
                    }

                    return refused;
                }

                var started = _time.GetUtcNow();
                var opening = _log.OpenAsync(new OpenAttempt
                {
                    RequestId = request.RequestId,
                    Attempt = attemptNumber,
                    Timestamp = started,
                    Operation = request.Operation,
                    Principal = request.Principal,
                    User = request.User,
                    Provider = target.Provider,
                    Model = target.Id,
                    Streamed = streamed,
                    EstimatedCostUsd = estimatedCost,
                });
                try
                {
                    await opening;
                }
                catch when (_budgets is not null)
                {
                    _budgets.Release(request.RequestId, attemptNumber);
                    throw;
                }

                var startedTicks = _time.GetTimestamp();
                var run = new Run<T>(request, body, target, attemptNumber, started, startedTicks, estimate, estimatedCost, rows);
                ProviderResult<T> result;
                using (var attemptTimer = new CancellationTokenSource(_resilience.AttemptTimeout, _time))
                using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, attemptTimer.Token))
                {
                    try
                    {
                        result = await invoke(provider, call, attemptTimeout.Token);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        circuit.ReleaseTrial();
                        rows.Add(Row(run, AttemptStatus.Cancelled, started, _time.GetElapsedTime(startedTicks).TotalMilliseconds, streamed,
                            UsageReport.Unknown(), CostResult.NotBilled("the caller went away before the provider answered")) with { ErrorCode = "client_disconnected" });
                        await _log.AppendAsync(rows);
                        throw;
                    }
                    catch (OperationCanceledException)
                    {
                        result = new ProviderError(ProviderErrorKind.Timeout, deadlineTimer.IsCancellationRequested
                            ? $"The call's overall deadline of {_resilience.OverallDeadline.TotalSeconds:0.#} s passed."
                            : $"No answer within the attempt timeout of {_resilience.AttemptTimeout.TotalSeconds:0.#} s.");
                    }
                    catch (Exception)
                    {
                        // An adapter bug, not an expected failure: it surfaces, but what reached providers stays logged.
                        circuit.ReleaseTrial();
                        rows.Add(Row(run, AttemptStatus.Failed, started, _time.GetElapsedTime(startedTicks).TotalMilliseconds, streamed,
                            UsageReport.Unknown(), CostResult.Unpriced(null, "the provider adapter threw; whether the call was billed is unknown")) with { ErrorCode = ProviderExceptionCode });
                        await _log.AppendAsync(rows);
                        throw;
                    }
                }

                var latency = _time.GetElapsedTime(startedTicks).TotalMilliseconds;
                if (result.IsSuccess)
                {
                    if (!streamed)
                    {
                        circuit.RecordSuccess();
                    }

                    return run with { Value = result.Value, LatencyMs = latency };
                }

                var error = result.Error;
                lastError = error;
                LogAttemptFailed(_logger, request.RequestId, target.Id, attemptNumber, error.LogCode, error.Message);
                if (error.CountsAgainstHealth)
                {
                    circuit.RecordFailure();
                }
                else
                {
                    circuit.ReleaseTrial();
                }

                rows.Add(Row(run, AttemptStatus.Failed, started, latency, streamed, UsageReport.Unknown(),
                    CostResult.NotBilled($"failed call ({error.LogCode}); providers do not bill it")) with
                {
                    ErrorCode = error.LogCode,
                    HttpStatus = error.StatusCode,
                });

                if (!error.AllowsFallback)
                {
                    await _log.AppendAsync(rows);
                    return new GatewayError("invalid_request", $"{target.Provider} rejected the request: {error.Message}", 400, "invalid_request_error");
                }

                if (!error.IsRetryable || retry == _resilience.MaxRetriesPerModel || deadline.IsCancellationRequested || !circuit.TryEnter())
                {
                    break;
                }

                var delay = error.RetryAfter ?? Backoff.Delay(retry + 1, _resilience.BaseBackoff, _resilience.MaxBackoff);
                if (delay < TimeSpan.Zero)
                {
                    delay = TimeSpan.Zero;
                }

                // Waiting longer than a provider may keep us, or than the call has left, only delays the fallback.
                if (delay > _resilience.MaxRetryAfter || delay >= Remaining(callStarted))
                {
                    circuit.ReleaseTrial();
                    break;
                }

                try
                {
                    await Task.Delay(delay, _time, deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    circuit.ReleaseTrial();
                    break;
                }
            }
        }

        if (rows.Count > 0)
        {
            await _log.AppendAsync(rows);
        }

        // A caller that went away between attempts gets its cancellation, after the attempts made are durable.
        cancellationToken.ThrowIfCancellationRequested();

        if (attemptNumber == 0 && blockedUnpriced > 0 && blockedUnpriced == skipped.Count)
        {
            return GatewayError.PriceUnknown($"Operation '{route.Operation}' blocks unpriced models and none of its models has a price: {string.Join("; ", skipped)}.");
        }

        var reason = lastError is null ? string.Join("; ", skipped) : $"last error: {lastError.Message}";
        return GatewayError.UpstreamUnavailable(
            $"Every model of operation '{route.Operation}' failed after {attemptNumber} attempt(s) ({reason}).",
            lastError?.RetryAfter);
    }

    private TimeSpan Remaining(long callStarted) =>
        _resilience.OverallDeadline == Timeout.InfiniteTimeSpan
            ? TimeSpan.MaxValue
            : _resilience.OverallDeadline - _time.GetElapsedTime(callStarted);

    private static string? ServiceTierOf(JsonObject body) =>
        body["service_tier"] is JsonValue tier && tier.TryGetValue<string>(out var name) && name != "auto" ? name : null;

    private static OperationLogEntry Row<T>(Run<T> run, AttemptStatus status, DateTimeOffset started, double latencyMs, bool streamed, in UsageReport usage, in CostResult cost) => new()
    {
        RequestId = run.Request.RequestId,
        Timestamp = started,
        Operation = run.Request.Operation,
        Principal = run.Request.Principal,
        User = run.Request.User,
        Provider = run.Target.Provider,
        Model = run.Target.Id,
        ReportedModel = usage.ReportedModel,
        Attempt = run.AttemptNumber,
        Status = status,
        LatencyMs = latencyMs,
        Streamed = streamed,
        UsageKnown = usage.IsKnown,
        Meters = usage.Meters,
        CostUsd = cost.TotalUsd,
        CostStatus = cost.Status,
        CostReason = cost.Reason,
        EstimatedCostUsd = run.EstimatedCostUsd,
        PriceSource = cost.Price?.Source,
        PriceSourceDate = cost.Price?.SourceDate,
        ServiceTier = usage.ServiceTier ?? ServiceTierOf(run.Body),
        ProviderRequestId = usage.ProviderRequestId,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {RequestId}: attempt {Attempt} on {Model} failed with {Code}: {Message}")]
    private static partial void LogAttemptFailed(ILogger logger, string requestId, string model, int attempt, string code, string message);

    private sealed record Run<T>(
        OperationRequest Request,
        JsonObject Body,
        ModelConfig Target,
        int AttemptNumber,
        DateTimeOffset Started,
        long StartedTicks,
        RequestEstimate Estimate,
        decimal? EstimatedCostUsd,
        List<OperationLogEntry> Rows)
    {
        public T Value { get; init; } = default!;

        public double LatencyMs { get; init; }
    }
}
