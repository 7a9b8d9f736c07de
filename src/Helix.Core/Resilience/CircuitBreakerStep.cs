using System.Runtime.CompilerServices;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;

namespace Helix.Core.Resilience;

/// <summary>Lets an attempt through only when its model's circuit allows it, and gives the circuit its verdict when the attempt ends.</summary>
/// <remarks>
/// Per attempt. The verdict waits for the attempt's end, so a stream holds a half-open trial until it ends: success
/// closes the circuit, a failure that says the model is unhealthy counts against it, anything else (a cancellation,
/// a refusal for a reason of the request's own) releases the trial. Thread-safe.
/// </remarks>
public sealed class CircuitBreakerStep : IOperationStep
{
    /// <summary>The skip code of a model whose circuit is open.</summary>
    public const string CircuitOpen = "circuit_open";

    private readonly CircuitBreakerRegistry _circuits;

    /// <summary>Creates the step over <paramref name="circuits"/>.</summary>
    public CircuitBreakerStep(CircuitBreakerRegistry circuits)
    {
        ArgumentNullException.ThrowIfNull(circuits);
        _circuits = circuits;
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var attempt = context.Attempt ?? throw new InvalidOperationException("The circuit breaker runs per attempt: add it after UseRetry.");
        var circuit = _circuits.For(attempt.Target.Id);
        if (!circuit.TryEnter())
        {
            return context.SkipModel(attempt.Target.Id, CircuitOpen, $"{attempt.Target.Id}: circuit open after repeated failures");
        }

        attempt.OnEnded(ended =>
        {
            Verdict(circuit, ended);
            return ValueTask.CompletedTask;
        });
        try
        {
            var result = await next(context);
            if (!attempt.IsStarted && !attempt.HasEnded)
            {
                circuit.ReleaseTrial();
            }

            return result;
        }
        catch (Exception) when (!attempt.IsStarted && !attempt.HasEnded)
        {
            circuit.ReleaseTrial();
            throw;
        }
    }

    private static void Verdict(CircuitBreaker circuit, Attempt attempt)
    {
        if (attempt.Status == AttemptStatus.Success)
        {
            circuit.RecordSuccess();
        }
        else if (attempt.Status == AttemptStatus.Failed && attempt.Error is { CountsAgainstHealth: true })
        {
            circuit.RecordFailure();
        }
        else
        {
            circuit.ReleaseTrial();
        }
    }
}
