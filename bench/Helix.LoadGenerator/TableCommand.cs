using System.Globalization;
using System.Text;

namespace Helix.LoadGenerator;

/// <summary>
/// <c>helix-load table RESULT.json...</c>: one markdown table of the suite results, one row per target, with the
/// throughput as ratios to calling the mock directly and to the bare YARP proxy, CPU per request as a ratio to YARP's,
/// and each latency as what the target adds to the direct call's same percentile (the difference of percentiles).
/// Paced steps are judged twice: on the p99 the client saw (harness and mock included, so no target can beat the
/// direct row) and on the p99 the target adds to the direct call's p99 at the same rate, which is what the issue's
/// "added p99" goals mean and what stays measurable when the harness's own tail is above the bound.
/// </summary>
internal static class TableCommand
{
    public static int Run(string[] args)
    {
        var results = args.Skip(1).Select(Json.Read).ToList();
        var direct = results.FirstOrDefault(r => r.Name == "direct");
        var yarp = results.FirstOrDefault(r => r.Name == "YARP");
        Console.WriteLine(Render(results, direct, yarp));
        return 0;
    }

    internal static string Render(List<SuiteResult> results, SuiteResult? direct, SuiteResult? yarp)
    {
        var text = new StringBuilder();
        text.AppendLine("| target | saturated rps, 64 callers (÷ direct, ÷ YARP) | max rps at p99 ≤ 1 ms: total / added | max rps at p99 ≤ 5 ms: total / added | at 2,000/s paced: p99 (added), CPU µs/request | CPU µs/request (÷ YARP) | allocated B/request | RSS MiB (peak) | added p50 / p99 / p99.9 ms, 1 caller | added, 64 callers, 50 ms upstream | added, 256 callers, 50 ms upstream | streamed, 1 caller: added first byte / last byte p50 ms |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            var saturated = Phase(r, "saturated");
            var cpu = saturated?.CpuMicrosecondsPerRequest;
            var yarpCpu = yarp is null ? null : Phase(yarp, "saturated")?.CpuMicrosecondsPerRequest;
            text.Append("| ").Append(r.Name)
                .Append(" | ").Append(Throughput(saturated?.Rps, direct is null ? null : Phase(direct, "saturated")?.Rps, yarp is null ? null : Phase(yarp, "saturated")?.Rps))
                .Append(" | ").Append(Rate(r.MaxRpsAtP99Under1Ms, r)).Append(" / ").Append(AddedRate(r, direct, 1))
                .Append(" | ").Append(Rate(r.MaxRpsAtP99Under5Ms, r)).Append(" / ").Append(AddedRate(r, direct, 5))
                .Append(" | ").Append(Paced(r, direct, 2000))
                .Append(" | ").Append(cpu is { } c ? F($"{c:0}") + (yarpCpu is { } y && y > 0 ? F($" (×{c / y:0.00})") : "") : "–")
                .Append(" | ").Append(saturated?.AllocatedBytesPerRequest is { } a ? F($"{a:#,0}") : "–")
                .Append(" | ").Append(r.RssPeakMb is { } m ? F($"{m:0}") : "–")
                .Append(" | ").Append(Added(r, direct, "1 caller"))
                .Append(" | ").Append(Added(r, direct, "64 callers"))
                .Append(" | ").Append(Added(r, direct, "256 callers"))
                .Append(" | ").Append(Streamed(r, direct))
                .AppendLine(" |");
        }

        var errors = results.SelectMany(r => r.Phases.Where(p => p.Errors > 0).Select(p => F($"{r.Name}, {p.Name}: {p.Errors} failed calls"))).ToList();
        if (errors.Count > 0)
        {
            text.AppendLine().Append("Failed calls: ").AppendJoin("; ", errors).AppendLine(".");
        }

        return text.ToString();
    }

    private static PhaseResult? Phase(SuiteResult r, string name) => r.Phases.FirstOrDefault(p => p.Name == name);

    private static string Throughput(double? rps, double? direct, double? yarp)
    {
        if (rps is not { } value)
        {
            return "–";
        }

        var ratios = new List<string>();
        if (direct is { } d && d > 0)
        {
            ratios.Add(F($"×{value / d:0.00}"));
        }

        if (yarp is { } y && y > 0)
        {
            ratios.Add(F($"×{value / y:0.00}"));
        }

        return F($"{value:#,0}") + (ratios.Count > 0 ? " (" + string.Join(", ", ratios) + ")" : "");
    }

    private static string Rate(double? rate, SuiteResult r) => rate is { } value
        ? F($"{value:#,0}")
        : r.Steps.Count == 0 ? "–" : F($"under {r.Steps[0].Rate:#,0}");

    /// <summary>
    /// The highest paced rate at which the target added at most <paramref name="boundMs"/> to the direct call's p99
    /// at the same rate, with no failed call; the steps are judged in order and the first miss ends the search.
    /// </summary>
    internal static double? MaxAddedRate(SuiteResult r, SuiteResult direct, double boundMs)
    {
        double? best = null;
        foreach (var step in r.Steps)
        {
            if (direct.Steps.FirstOrDefault(d => d.Rate == step.Rate) is not { } d || d.Errors > 0)
            {
                break; // the direct call was not measured at this rate: nothing to subtract from
            }

            if (step.Errors > 0 || !(step.P99 - d.P99 <= boundMs))
            {
                break;
            }

            best = step.Rate;
        }

        return best;
    }

    private static string AddedRate(SuiteResult r, SuiteResult? direct, double boundMs)
    {
        if (direct is null || r == direct || r.Steps.Count == 0)
        {
            return "–";
        }

        return MaxAddedRate(r, direct, boundMs) is { } rate ? F($"{rate:#,0}") : F($"under {r.Steps[0].Rate:#,0}");
    }

    private static string Paced(SuiteResult r, SuiteResult? direct, double rate)
    {
        if (r.Steps.FirstOrDefault(s => s.Rate == rate) is not { } step)
        {
            return "not reached";
        }

        var added = direct is not null && r != direct && direct.Steps.FirstOrDefault(d => d.Rate == rate) is { } d
            ? F($" ({step.P99 - d.P99:+0.00;-0.00})")
            : "";
        return F($"{step.P99:0.00} ms{added}, {step.CpuMicrosecondsPerRequest:0}");
    }

    private static string Added(SuiteResult r, SuiteResult? direct, string phase)
    {
        if (Phase(r, phase) is not { } p)
        {
            return "–";
        }

        if (p.Requests == p.Errors)
        {
            return "every call failed";
        }

        if (r == direct || direct is null || Phase(direct, phase) is not { } d)
        {
            return F($"{p.P50:0.00} / {p.P99:0.00} / {p.P999:0.00} (total)");
        }

        return F($"{p.P50 - d.P50:+0.00;-0.00} / {p.P99 - d.P99:+0.00;-0.00} / {p.P999 - d.P999:+0.00;-0.00}");
    }

    private static string Streamed(SuiteResult r, SuiteResult? direct)
    {
        const string phase = "streamed, 1 caller";
        if (Phase(r, phase) is not { } p)
        {
            return "–";
        }

        if (p.Requests == p.Errors)
        {
            return "every call failed";
        }

        if (r == direct || direct is null || Phase(direct, phase) is not { } d)
        {
            return F($"{p.FirstByteP50:0.00} / {p.P50:0.00} (total)");
        }

        return F($"{p.FirstByteP50 - d.FirstByteP50:+0.00;-0.00} / {p.P50 - d.P50:+0.00;-0.00}");
    }

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
