namespace Helix.Simulator.Wire;

/// <summary>What every call goes through before it answers: a hang, the latency, or an error answer.</summary>
internal static class CallGate
{
    /// <summary>
    /// Plays the plan's timeout, latency (unless <paramref name="waitLatency"/> is off, as DeepSeek's keep-alive
    /// waits it itself) and error faults; returns whether the call goes on to answer (possibly cut or malformed).
    /// </summary>
    public static async Task<bool> PassAsync(
        HttpContext context, CallPlan plan, ErrorDialect errors, string requestId, string model, bool waitLatency = true)
    {
        if (plan.Fault is SimulatorFault.Timeout)
        {
            await HangAsync(context);
            return false;
        }

        if (waitLatency)
        {
            await PauseAsync(plan.Behavior.Latency, context.RequestAborted);
        }

        WireError? error = plan.Fault switch
        {
            SimulatorFault.RateLimited => WireError.RateLimited,
            SimulatorFault.ServerError => WireError.ServerError,
            SimulatorFault.Overloaded => WireError.Overloaded,
            SimulatorFault.Unauthorized => WireError.Unauthorized,
            SimulatorFault.InsufficientQuota => WireError.InsufficientQuota,
            _ => null,
        };
        if (error is { } kind)
        {
            await errors.WriteAsync(context, kind, requestId, model, Math.Max(0, plan.Behavior.RetryAfterSeconds));
            return false;
        }

        return true;
    }

    /// <summary>Waits <paramref name="delay"/> of real time, if any.</summary>
    public static Task PauseAsync(TimeSpan? delay, CancellationToken cancellationToken) =>
        delay is { } d && d > TimeSpan.Zero ? Task.Delay(d, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// The time a whole answer of <paramref name="pieces"/> pieces takes to generate after the first byte, so a
    /// body arrives when the same stream would have ended.
    /// </summary>
    public static Task GenerateAsync(SimulatorBehavior behavior, int pieces, CancellationToken cancellationToken) =>
        behavior.ChunkDelay is { } d && d > TimeSpan.Zero && pieces > 0
            ? Task.Delay(d * pieces, cancellationToken)
            : Task.CompletedTask;

    private static async Task HangAsync(HttpContext context)
    {
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, hang.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up or the server is stopping: either way the call ends without an answer.
        }

        context.Abort();
    }
}
