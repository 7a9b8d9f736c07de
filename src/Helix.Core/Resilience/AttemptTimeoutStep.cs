using System.Runtime.CompilerServices;
using Helix.Core.Pipeline;

namespace Helix.Core.Resilience;

/// <summary>Bounds how long an attempt waits for its provider: the first byte of a stream, the whole of a complete answer.</summary>
/// <remarks>
/// Per attempt, on the injected clock. A stream must begin within <see cref="ResilienceOptions.FirstByteTimeout"/>
/// (capped by <see cref="ResilienceOptions.AttemptTimeout"/>); a non-streamed answer, which arrives whole, within
/// <see cref="ResilienceOptions.AttemptTimeout"/>. The provider call turns the cancellation into a timeout error,
/// which the retry step sends to the next model. Thread-safe.
/// </remarks>
public sealed class AttemptTimeoutStep : IOperationStep
{
    private readonly ResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly SecondsMessage _firstByteReason = new("The stream did not begin within the first-byte timeout of {0:0.#} s.");
    private readonly SecondsMessage _attemptReason = new("No answer within the attempt timeout of {0:0.#} s.");

    /// <summary>Creates the step.</summary>
    public AttemptTimeoutStep(ResilienceOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var attempt = context.Attempt ?? throw new InvalidOperationException("The attempt timeout runs per attempt: add it after UseRetry.");
        var streamed = context.Call.Streamed;
        var timeout = streamed && _options.FirstByteTimeout < _options.AttemptTimeout ? _options.FirstByteTimeout : _options.AttemptTimeout;
        using var timer = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(attempt.CancellationToken, timer.Token);
        attempt.AddTimeout(
            streamed ? _firstByteReason.For(timeout) : _attemptReason.For(timeout),
            timer.Token,
            linked.Token);
        return await next(context);
    }
}
