using System.Diagnostics;

namespace Helix.LoadGenerator;

/// <summary>
/// Paced load free of coordinated omission: call i is due at start + i / rate whatever the target does, one
/// dedicated thread sends each call at its due time without waiting for earlier answers, and latency is measured
/// from the due time, so a stalled target is charged for every call that waited behind the stall.
/// </summary>
internal static class OpenLoop
{
    /// <summary>Calls not answered this long after the last one was due count as errors.</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);

    public static async Task<StepResult> RunAsync(Caller caller, byte[] body, double rate, TimeSpan warm, TimeSpan measure, TargetProbe probe)
    {
        var warmCalls = (int)(rate * warm.TotalSeconds);
        var count = warmCalls + (int)(rate * measure.TotalSeconds);
        var latencies = new double[count];
        var lags = new double[count];
        var calls = new Task[count];
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp() + ClosedLoop.Ticks(TimeSpan.FromMilliseconds(5));
        TargetProbe.Reading before = default;
        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var dispatcher = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)(i * interval);
                WaitUntil(due);
                lags[i] = ClosedLoop.Milliseconds(Stopwatch.GetTimestamp() - due);
                if (i == warmCalls)
                {
                    before = probe.Read();
                }

                calls[i] = Send(caller, body, due, latencies, i);
            }

            dispatched.SetResult();
        }) { IsBackground = true, Name = "open-loop dispatcher", Priority = ThreadPriority.AboveNormal };
        // Nothing here blocks a thread-pool thread: the answers' continuations need them (one core: few of them).
        dispatcher.Start();
        await dispatched.Task;
        var all = Task.WhenAll(calls);
        var drained = await Task.WhenAny(all, Task.Delay(Drain)) == all;
        var after = probe.Read();

        List<double> measured = new(count - warmCalls);
        long errors = 0;
        for (var i = warmCalls; i < count; i++)
        {
            if (!drained && !calls[i].IsCompleted || double.IsPositiveInfinity(latencies[i]))
            {
                errors++;
            }
            else
            {
                measured.Add(latencies[i]);
            }
        }

        measured.Sort();
        var lagged = lags[warmCalls..].ToList();
        lagged.Sort();
        var requests = count - warmCalls;
        return new StepResult(
            rate, requests, errors, Percentiles.Of(measured, 0.50), Percentiles.Of(measured, 0.99), Percentiles.Of(measured, 0.999),
            ClosedLoop.PerRequest(after.CpuSeconds - before.CpuSeconds, 1e6, requests), Percentiles.Of(lagged, 0.99));
    }

    private static async Task Send(Caller caller, byte[] body, long due, double[] latencies, int index)
    {
        var outcome = await caller.CallAsync(body, stream: false);
        latencies[index] = outcome.Ok ? ClosedLoop.Milliseconds(outcome.LastByteTimestamp - due) : double.PositiveInfinity;
    }

    /// <summary>
    /// Sleeps until about 80 µs before the due time (libc <c>usleep</c>: the runtime's timers and <c>Thread.Sleep</c>
    /// have millisecond granularity, too coarse for a 1 ms latency bound), then spins the rest, so the dispatcher
    /// leaves the load generator's core to the calls in flight instead of spinning between sends.
    /// </summary>
    private static void WaitUntil(long due)
    {
        var margin = Stopwatch.Frequency / 12_500;
        while (true)
        {
            var left = due - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            if (left > margin)
            {
                _ = Native.USleep((uint)((left - margin) * 1_000_000 / Stopwatch.Frequency));
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }
}
