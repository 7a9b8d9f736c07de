using System.Diagnostics;

namespace Helix.LoadGenerator;

/// <summary>
/// Fixed concurrency: each caller sends its next call when the previous one has answered. Latency is measured from
/// each send (a closed loop hides queueing by design; the paced steps of <see cref="OpenLoop"/> do not).
/// </summary>
internal static class ClosedLoop
{
    public static async Task<PhaseResult> RunAsync(
        string name, Caller caller, byte[] body, bool stream, int callers, int delayMs, TimeSpan warm, TimeSpan measure, TargetProbe probe)
    {
        var measureStart = Stopwatch.GetTimestamp() + Ticks(warm);
        var measureEnd = measureStart + Ticks(measure);
        var probing = Task.Run(async () =>
        {
            await Until(measureStart);
            var before = probe.Read();
            await Until(measureEnd);
            return (before, after: probe.Read());
        });
        var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            List<double> total = new(4096), first = new(4096);
            long errors = 0;
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= measureEnd)
                {
                    break;
                }

                var outcome = await caller.CallAsync(body, stream);
                if (started < measureStart)
                {
                    continue;
                }

                if (!outcome.Ok)
                {
                    errors++;
                    continue;
                }

                total.Add(Milliseconds(outcome.LastByteTimestamp - started));
                first.Add(Milliseconds(outcome.FirstByteTimestamp - started));
            }

            return (total, first, errors);
        })).ToArray();
        var results = await Task.WhenAll(workers);
        var (before, after) = await probing;
        List<double> all = [.. results.SelectMany(r => r.total)], firsts = [.. results.SelectMany(r => r.first)];
        all.Sort();
        firsts.Sort();
        var errorCount = results.Sum(r => r.errors);
        var requests = all.Count + errorCount;
        return new PhaseResult(
            name, callers, delayMs, stream, requests, errorCount, all.Count / measure.TotalSeconds,
            Percentiles.Of(all, 0.50), Percentiles.Of(all, 0.99), Percentiles.Of(all, 0.999),
            Percentiles.Of(firsts, 0.50), Percentiles.Of(firsts, 0.99),
            PerRequest(after.CpuSeconds - before.CpuSeconds, 1e6, requests),
            PerRequest(after.AllocatedBytes - before.AllocatedBytes, 1, requests));
    }

    private static Task Until(long timestamp)
    {
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return left > TimeSpan.Zero ? Task.Delay(left) : Task.CompletedTask;
    }

    internal static double? PerRequest(double? delta, double scale, long requests) =>
        delta is { } d && requests > 0 ? d * scale / requests : null;

    internal static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    internal static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
