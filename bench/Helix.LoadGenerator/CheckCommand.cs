using System.Globalization;
using System.Text.Json;

namespace Helix.LoadGenerator;

/// <summary>
/// <c>helix-load check --baseline FILE --yarp YARP.json --helix HELIX.json [--write]</c>: the CI guard against gross
/// regressions. Helix's CPU per request is divided by the bare YARP proxy's, measured in the same run on the same
/// machine (the ratio cancels the machine's speed), and fails only past <see cref="Tolerance"/> times the committed
/// baseline's ratio; allocated bytes per request (independent of the machine) likewise. A failed call fails it too.
/// <c>--write</c> stores this run's figures as the new baseline instead.
/// </summary>
internal static class CheckCommand
{
    /// <summary>How far past the baseline a figure may go before the check fails: gross regressions only, never noise.</summary>
    public const double Tolerance = 2.0;

    public static int Run(string[] args)
    {
        Dictionary<string, string> options = [];
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--write")
            {
                options["--write"] = "true";
            }
            else if (i + 1 < args.Length)
            {
                options[args[i]] = args[++i];
            }
        }

        var yarp = Json.Read(options["--yarp"]).Phases.Single(p => p.Name == "saturated");
        var helix = Json.Read(options["--helix"]).Phases.Single(p => p.Name == "saturated");
        if (yarp.Errors > 0 || helix.Errors > 0 || yarp.CpuMicrosecondsPerRequest is not > 0 || helix.CpuMicrosecondsPerRequest is not { } helixCpu
            || helix.AllocatedBytesPerRequest is not { } helixAllocated)
        {
            Console.WriteLine(F($"FAIL: the smoke did not measure cleanly (YARP errors {yarp.Errors}, Helix errors {helix.Errors}, CPU {yarp.CpuMicrosecondsPerRequest} / {helix.CpuMicrosecondsPerRequest} µs, allocated {helix.AllocatedBytesPerRequest} B)."));
            return 1;
        }

        var ratio = helixCpu / yarp.CpuMicrosecondsPerRequest.Value;
        var current = new Baseline(Math.Round(ratio, 3), Math.Round(helixAllocated), Math.Round(helixCpu), Math.Round(yarp.CpuMicrosecondsPerRequest.Value));
        Console.WriteLine(F($"Helix: {helixCpu:0} µs CPU and {helixAllocated:#,0} B allocated per request; YARP: {yarp.CpuMicrosecondsPerRequest:0} µs; CPU ratio {ratio:0.00}."));
        if (options.ContainsKey("--write"))
        {
            File.WriteAllText(options["--baseline"], JsonSerializer.Serialize(current, Json.Options) + "\n");
            Console.WriteLine($"Baseline written to {options["--baseline"]}.");
            return 0;
        }

        var baseline = JsonSerializer.Deserialize<Baseline>(File.ReadAllText(options["--baseline"]), Json.Options)
            ?? throw new InvalidDataException("The baseline is empty.");
        var failures = new List<string>();
        if (ratio > Tolerance * baseline.HelixCpuRatioToYarp)
        {
            failures.Add(F($"CPU per request is {ratio:0.00}× YARP's, more than {Tolerance}× the baseline's {baseline.HelixCpuRatioToYarp:0.00}×"));
        }

        if (helixAllocated > Tolerance * baseline.HelixAllocatedBytesPerRequest)
        {
            failures.Add(F($"{helixAllocated:#,0} B allocated per request, more than {Tolerance}× the baseline's {baseline.HelixAllocatedBytesPerRequest:#,0} B"));
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
