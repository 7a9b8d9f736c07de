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

    public static StepResult Run(Caller caller, byte[] body, double rate, TimeSpan warm, TimeSpan measure, TargetProbe probe)
    {
        var warmCalls = (int)(rate * warm.TotalSeconds);
        var count = warmCalls + (int)(rate * measure.TotalSeconds);
        var latencies = new double[count];
        var calls = new Task[count];
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp() + ClosedLoop.Ticks(TimeSpan.FromMilliseconds(5));
        TargetProbe.Reading before = default;

        var dispatcher = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)(i * interval);
                WaitUntil(due);
                if (i == warmCalls)
                {
                    before = probe.Read();
                }

                calls[i] = Send(caller, body, due, latencies, i);
            }
        }) { IsBackground = true, Name = "open-loop dispatcher", Priority = ThreadPriority.AboveNormal };
        dispatcher.Start();
        dispatcher.Join();
        var drained = Task.WaitAll(calls, Drain);
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
        var requests = count - warmCalls;
        return new StepResult(
            rate, requests, errors, Percentiles.Of(measured, 0.50), Percentiles.Of(measured, 0.99), Percentiles.Of(measured, 0.999),
            ClosedLoop.PerRequest(after.CpuSeconds - before.CpuSeconds, 1e6, requests));
    }

    private static async Task Send(Caller caller, byte[] body, long due, double[] latencies, int index)
    {
        var outcome = await caller.CallAsync(body, stream: false);
        latencies[index] = outcome.Ok ? ClosedLoop.Milliseconds(outcome.LastByteTimestamp - due) : double.PositiveInfinity;
    }

    /// <summary>Sleeps while the due time is more than 2 ms away, then yields the core until it comes (timer sleeps are too coarse).</summary>
    private static void WaitUntil(long due)
    {
        var twoMs = Stopwatch.Frequency / 500;
        while (true)
        {
            var left = due - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            if (left > twoMs)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
