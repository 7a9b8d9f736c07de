using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Helix.LoadGenerator;

/// <summary>
/// <c>helix-load suite</c>: every phase of the peer benchmark against one target, written as JSON (see
/// bench/peers/run.sh). Modes: <c>full</c> (about a minute), <c>quick</c> (a smoke of every phase, seconds) and
/// <c>smoke</c> (the CI guard: warm up, then one saturated phase for CPU and allocations per request).
/// </summary>
internal static class SuiteCommand
{
    /// <summary>The paced rates tried, in requests per second, until p99 passes 5 ms or a call fails.</summary>
    private static readonly double[] FullRates = [250, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 15000];
    private static readonly double[] QuickRates = [500, 1000, 2000];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        if (!IPAddress.TryParse(options.Url.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            Console.Error.WriteLine($"helix-load only targets loopback addresses (127.0.0.0/8, ::1), not '{options.Url.Host}'.");
            return 2;
        }

        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1024,
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(30),
            UseProxy = false,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var caller = new Caller(http, options.Url, options.Headers);
        var probe = new TargetProbe(options.Pid, options.AllocationSocket, options.ClockTicks);
        var quick = options.Mode != "full";
        TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

        byte[] Plain(int delay) => Caller.Body(options.Model, delay, stream: false);
        List<PhaseResult> phases = [];
        List<StepResult> steps = [];

        // Warm-up: JIT, tiered compilation, connection pools, the target's caches. Not reported. A full run also warms
        // at one caller and streamed: a .NET target pinned to one core and kept saturated starves its background
        // compiler (hot code stayed unoptimised for a minute and more), so the idle time between calls lets every
        // target reach its steady state before anything is measured.
        await ClosedLoop.RunAsync("warm-up", caller, Plain(0), false, 32, 0, S(0), S(quick ? 1 : 5), probe);
        if (options.Mode == "full")
        {
            await ClosedLoop.RunAsync("warm-up, 1 caller", caller, Plain(0), false, 1, 0, S(0), S(6), probe);
            await ClosedLoop.RunAsync("warm-up, streamed", caller, Caller.Body(options.Model, 0, stream: true), true, 1, 0, S(0), S(2), probe);
        }

        if (options.Mode == "smoke")
        {
            phases.Add(await ClosedLoop.RunAsync("saturated", caller, Plain(0), false, 32, 0, S(0.5), S(3), probe));
        }
        else
        {
            phases.Add(await ClosedLoop.RunAsync("1 caller", caller, Plain(0), false, 1, 0, S(quick ? 0.2 : 0.5), S(quick ? 1 : 4), probe));
            phases.Add(await ClosedLoop.RunAsync("64 callers", caller, Plain(50), false, 64, 50, S(quick ? 0.3 : 1), S(quick ? 1 : 4), probe));
            phases.Add(await ClosedLoop.RunAsync("256 callers", caller, Plain(50), false, 256, 50, S(quick ? 0.3 : 1), S(quick ? 1 : 4), probe));
            phases.Add(await ClosedLoop.RunAsync("saturated", caller, Plain(0), false, 64, 0, S(quick ? 0.3 : 1), S(quick ? 1 : 4), probe));
            phases.Add(await ClosedLoop.RunAsync("streamed, 1 caller", caller, Caller.Body(options.Model, 0, stream: true), true, 1, 0, S(quick ? 0.2 : 0.5), S(quick ? 1 : 3), probe));
            foreach (var rate in quick ? QuickRates : FullRates)
            {
                var step = await OpenLoop.RunAsync(caller, Plain(0), rate, S(quick ? 0.3 : 0.5), S(quick ? 1 : 2), probe);
                steps.Add(step);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {options.Name}: {rate:0}/s paced: p50 {step.P50:0.000} ms, p99 {step.P99:0.000} ms, errors {step.Errors}, dispatch lag p99 {step.DispatchLagP99:0.000} ms"));
                if (step.Errors > 0 || !(step.P99 <= 5))
                {
                    break;
                }
            }
        }

        var (peak, current) = probe.Memory();
        var result = new SuiteResult(
            options.Name, phases, steps,
            MaxRate(steps, 1), MaxRate(steps, 5), peak, current);
        foreach (var phase in phases)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {options.Name}: {phase.Name}: {phase.Rps:0}/s, p50 {phase.P50:0.000} ms, p99 {phase.P99:0.000} ms, errors {phase.Errors}, CPU {phase.CpuMicrosecondsPerRequest:0} µs/request, {phase.AllocatedBytesPerRequest:0} B/request"));
        }

        await File.WriteAllTextAsync(options.Output, JsonSerializer.Serialize(result, Json.Options));
        return phases.Sum(p => p.Errors) == 0 ? 0 : 1;
    }

    /// <summary>The highest paced rate answered without error at p99 within <paramref name="p99Ms"/>, below the first that was not.</summary>
    private static double? MaxRate(List<StepResult> steps, double p99Ms)
    {
        double? best = null;
        foreach (var step in steps)
        {
            if (step.Errors > 0 || !(step.P99 <= p99Ms))
            {
                break;
            }

            best = step.Rate;
        }

        return best;
    }

    private sealed record Options(
        string Name, Uri Url, string Model, List<KeyValuePair<string, string>> Headers, int? Pid, string? AllocationSocket,
        int ClockTicks, string Mode, string Output)
    {
        public static Options Parse(string[] args)
        {
            Dictionary<string, string> single = [];
            List<KeyValuePair<string, string>> headers = [];
            for (var i = 1; i + 1 < args.Length; i += 2)
            {
                if (args[i] == "--header")
                {
                    var parts = args[i + 1].Split(':', 2);
                    headers.Add(new(parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : ""));
                }
                else
                {
                    single[args[i]] = args[i + 1];
                }
            }

            string Need(string key) => single.TryGetValue(key, out var value)
                ? value
                : throw new ArgumentException($"helix-load suite needs {key}.");
            var mode = single.GetValueOrDefault("--mode", "full");
            if (mode is not ("full" or "quick" or "smoke"))
            {
                throw new ArgumentException($"--mode is full, quick or smoke, not '{mode}'.");
            }

            return new Options(
                Need("--name"), new Uri(Need("--url")), Need("--model"), headers,
                single.TryGetValue("--pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
                single.GetValueOrDefault("--alloc-socket"),
                int.Parse(single.GetValueOrDefault("--clk-tck", "100"), CultureInfo.InvariantCulture),
                mode, Need("--out"));
        }
    }
}
