using System.Runtime.CompilerServices;
using Helix.Core.Pipeline;
using Helix.Core.Providers;
using Microsoft.Extensions.Logging;

namespace Helix.Core.Resilience;

/// <summary>Makes attempts on the target: retries a retryable failure with jittered backoff that honours <c>retry-after</c>.</summary>
/// <remarks>
/// <para>
/// Each iteration begins an <see cref="Attempt"/> and runs the per-attempt steps. A step that refuses the attempt
/// before the provider is called (an open circuit) sends the call to the next model. After a failed attempt:
/// a request the provider rejects stops the call (400, no other model would take it); a billed failure is not
/// retried on the same model (it would be paid twice: the call falls back); a timed-out model falls back before it
/// is retried; other retryable errors are retried up to <see cref="ResilienceOptions.MaxRetriesPerModel"/> times,
/// unless the wait (the provider's <c>retry-after</c> or the backoff) is longer than
/// <see cref="ResilienceOptions.MaxRetryAfter"/> or than the call has left.
/// </para>
/// <para>Thread-safe. Waits on the injected clock.</para>
/// </remarks>
public sealed partial class RetryStep : IOperationStep
{
    private readonly ResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the step.</summary>
    public RetryStep(ResilienceOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        for (var retry = 0; ; retry++)
        {
            var attempt = context.BeginAttempt(_time);
            var result = await next(context);
            if (!attempt.IsStarted && !attempt.HasEnded)
            {
                context.DiscardAttempt(attempt);
                return result ?? OperationContext.NextModel;
            }

            if (result is null || !ReferenceEquals(result, OperationContext.NextModel) || attempt.Error is not { } error)
            {
                return result;
            }

            var target = attempt.Target;
            LogAttemptFailed(_logger, context.RequestId, target.Id, attempt.Number, error.LogCode, error.Message);
            if (!error.AllowsFallback)
            {
                return new GatewayError("invalid_request", $"{target.Provider} rejected the request: {error.Message}", 400, "invalid_request_error");
            }

            if (attempt.Billing == AttemptBilling.Billed || error.Kind == ProviderErrorKind.Timeout || !error.IsRetryable
                || retry >= _options.MaxRetriesPerModel || context.CancellationToken.IsCancellationRequested)
            {
                return OperationContext.NextModel;
            }

            var delay = error.RetryAfter ?? Backoff.Delay(retry + 1, _options.BaseBackoff, _options.MaxBackoff);
            if (delay < TimeSpan.Zero)
            {
                delay = TimeSpan.Zero;
            }

            // Waiting longer than a provider may keep us, or than the call has left, only delays the fallback.
            if (delay > _options.MaxRetryAfter || delay >= Remaining(context))
            {
                return OperationContext.NextModel;
            }

            try
            {
                await Task.Delay(delay, _time, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                context.CallerToken.ThrowIfCancellationRequested();
                return OperationContext.NextModel;
            }
        }
    }

    private TimeSpan Remaining(OperationContext context) =>
        _options.OverallDeadline == Timeout.InfiniteTimeSpan
            ? TimeSpan.MaxValue
            : _options.OverallDeadline - _time.GetElapsedTime(context.StartedTimestamp);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {RequestId}: attempt {Attempt} on {Model} failed with {Code}: {Message}")]
    private static partial void LogAttemptFailed(ILogger logger, string requestId, string model, int attempt, string code, string message);
}
