using System.Globalization;
using System.Text.Json;

namespace Helix.LoadGenerator;

/// <summary>
/// <c>helix-load check --baseline FILE (--yarp YARP.json --helix HELIX.json)... [--write]</c>: the CI guard against
/// gross regressions. In each round Helix's CPU per request is divided by the bare YARP proxy's, measured just before
/// on the same machine (the ratio cancels the machine's speed); the check fails only when every round is past
/// <see cref="Tolerance"/> times the committed baseline's ratio (noise rarely hits every round, a real regression
/// does), or when every round allocated more than <see cref="Tolerance"/> times the baseline's bytes per request
/// (independent of the machine), or when any call failed. <c>--write</c> stores the rounds' mean as the new baseline.
/// </summary>
internal static class CheckCommand
{
    /// <summary>How far past the baseline a figure may go before the check fails: gross regressions only, never noise.</summary>
    public const double Tolerance = 2.0;

    public static int Run(string[] args)
    {
        List<string> yarpFiles = [], helixFiles = [];
        string? baselinePath = null;
        var write = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--write": write = true; break;
                case "--yarp" when i + 1 < args.Length: yarpFiles.Add(args[++i]); break;
                case "--helix" when i + 1 < args.Length: helixFiles.Add(args[++i]); break;
                case "--baseline" when i + 1 < args.Length: baselinePath = args[++i]; break;
                default:
                    Console.Error.WriteLine($"helix-load check: unknown argument '{args[i]}'.");
                    return 2;
            }
        }

        if (baselinePath is null || yarpFiles.Count == 0 || yarpFiles.Count != helixFiles.Count)
        {
            Console.Error.WriteLine("usage: helix-load check --baseline FILE (--yarp YARP.json --helix HELIX.json)... [--write]");
            return 2;
        }

        List<(double Ratio, double Allocated, double HelixCpu, double YarpCpu)> rounds = [];
        for (var round = 0; round < yarpFiles.Count; round++)
        {
            var yarp = Json.Read(yarpFiles[round]).Phases.Single(p => p.Name == "saturated");
            var helix = Json.Read(helixFiles[round]).Phases.Single(p => p.Name == "saturated");
            if (yarp.Errors > 0 || helix.Errors > 0 || yarp.CpuMicrosecondsPerRequest is not { } yarpCpu || yarpCpu <= 0
                || helix.CpuMicrosecondsPerRequest is not { } helixCpu || helix.AllocatedBytesPerRequest is not { } allocated)
            {
                Console.WriteLine(F($"FAIL: round {round + 1} did not measure cleanly (failed calls: YARP {yarp.Errors}, Helix {helix.Errors}; CPU µs/request: YARP {yarp.CpuMicrosecondsPerRequest}, Helix {helix.CpuMicrosecondsPerRequest}; Helix allocated {helix.AllocatedBytesPerRequest} B/request)."));
                return 1;
            }

            rounds.Add((helixCpu / yarpCpu, allocated, helixCpu, yarpCpu));
            Console.WriteLine(F($"round {round + 1}: Helix {helixCpu:0} µs CPU and {allocated:#,0} B allocated per request; YARP {yarpCpu:0} µs; CPU ratio {helixCpu / yarpCpu:0.00}."));
        }

        if (write)
        {
            var mean = new Baseline(
                Math.Round(rounds.Average(r => r.Ratio), 3), Math.Round(rounds.Average(r => r.Allocated)),
                Math.Round(rounds.Average(r => r.HelixCpu)), Math.Round(rounds.Average(r => r.YarpCpu)));
            File.WriteAllText(baselinePath, JsonSerializer.Serialize(mean, Json.Options) + "\n");
            Console.WriteLine($"Baseline written to {baselinePath}.");
            return 0;
        }

        var baseline = JsonSerializer.Deserialize<Baseline>(File.ReadAllText(baselinePath), Json.Options)
            ?? throw new InvalidDataException($"{baselinePath} is empty.");
        List<string> failures = [];
        var bestRatio = rounds.Min(r => r.Ratio);
        if (bestRatio > Tolerance * baseline.HelixCpuRatioToYarp)
        {
            failures.Add(F($"CPU per request is at least {bestRatio:0.00}× YARP's in every round, more than {Tolerance}× the baseline's {baseline.HelixCpuRatioToYarp:0.00}×"));
        }

        var bestAllocated = rounds.Min(r => r.Allocated);
        if (bestAllocated > Tolerance * baseline.HelixAllocatedBytesPerRequest)
        {
            failures.Add(F($"at least {bestAllocated:#,0} B allocated per request in every round, more than {Tolerance}× the baseline's {baseline.HelixAllocatedBytesPerRequest:#,0} B"));
        }

        Console.WriteLine(failures.Count == 0
            ? F($"PASS: within {Tolerance}× the baseline (CPU ratio {baseline.HelixCpuRatioToYarp:0.00}×, {baseline.HelixAllocatedBytesPerRequest:#,0} B/request).")
            : "FAIL: " + string.Join("; ", failures) + ".");
        return failures.Count == 0 ? 0 : 1;
    }

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The committed figures (bench/peers/baseline.json); the absolute microseconds are for reading only.</summary>
    private sealed record Baseline(double HelixCpuRatioToYarp, double HelixAllocatedBytesPerRequest, double HelixCpuMicrosecondsPerRequest, double YarpCpuMicrosecondsPerRequest);
}
