using Xunit;

namespace Helix.LoadGenerator.Tests;

/// <summary>The peer table: latency added over the direct call, throughput and CPU as ratios.</summary>
public sealed class TableCommandTests
{
    [Fact]
    public void Rows_SayWhatEachTargetAdds_AndTheirRatiosToDirectAndYarp()
    {
        var direct = Suite("direct", rps: 4_000, cpu: null, p50: 0.10, p99: 0.30, p999: 0.50, maxAt1Ms: 8_000);
        var yarp = Suite("YARP", rps: 3_000, cpu: 200, p50: 0.30, p99: 0.80, p999: 1.50, maxAt1Ms: 6_000);
        var helix = Suite("Helix", rps: 2_000, cpu: 300, p50: 0.60, p99: 1.30, p999: 2.50, maxAt1Ms: 4_000);

        var table = TableCommand.Render([direct, yarp, helix], direct, yarp);

        var row = table.Split('\n').Single(l => l.StartsWith("| Helix ", StringComparison.Ordinal));
        Assert.Contains("| 2,000 (×0.50, ×0.67) |", row, StringComparison.Ordinal);
        Assert.Contains("| 4,000 / 2,000 |", row, StringComparison.Ordinal);
        Assert.Contains("| 1.30 ms (+1.00), 300 |", row, StringComparison.Ordinal);
        Assert.Contains("| 300 (×1.50) |", row, StringComparison.Ordinal);
        Assert.Contains("| +0.50 / +1.00 / +2.00 |", row, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed calls", table, StringComparison.Ordinal);
    }

    [Fact]
    public void APhaseWhoseCallsAllFailed_IsNamed_NotAveraged()
    {
        var direct = Suite("direct", rps: 4_000, cpu: null, p50: 0.1, p99: 0.3, p999: 0.5, maxAt1Ms: 8_000);
        var broken = Suite("Peer", rps: 0, cpu: 900, p50: double.NaN, p99: double.NaN, p999: double.NaN, maxAt1Ms: null, errors: 50);

        var table = TableCommand.Render([direct, broken], direct, null);

        Assert.Contains("every call failed", table, StringComparison.Ordinal);
        Assert.Contains("Failed calls: Peer, 1 caller: 50 failed calls", table, StringComparison.Ordinal);
    }

    [Fact]
    public void AddedRate_SubtractsTheDirectP99AtTheSameRate_AndStopsAtTheFirstMiss()
    {
        var direct = Paced("direct", (1_000, 1.4, 0), (2_000, 1.8, 0), (4_000, 2.5, 0));
        var target = Paced("Helix", (1_000, 2.3, 0), (2_000, 2.9, 0), (4_000, 3.4, 0), (8_000, 3.5, 0));

        // Added p99: 0.9, 1.1, 0.9, and no direct step at 8,000: the first miss (2,000) ends it at 1 ms.
        Assert.Equal(1_000, TableCommand.MaxAddedRate(target, direct, 1));
        Assert.Equal(4_000, TableCommand.MaxAddedRate(target, direct, 5));
        Assert.Null(TableCommand.MaxAddedRate(Paced("Peer", (1_000, 9.0, 0)), direct, 5));
        Assert.Null(TableCommand.MaxAddedRate(Paced("Peer", (1_000, 1.5, 3)), direct, 5));
    }

    private static SuiteResult Paced(string name, params (double Rate, double P99, long Errors)[] steps) =>
        new(name, [], [.. steps.Select(s => new StepResult(s.Rate, 1_000, s.Errors, s.P99 / 2, s.P99, s.P99 * 1.5, 100, 0.05))], null, null, null, null);

    private static SuiteResult Suite(string name, double rps, double? cpu, double p50, double p99, double p999, double? maxAt1Ms, int errors = 0) =>
        new(name,
            [
                new PhaseResult("saturated", 64, 0, false, 10_000, 0, rps, 1, 2, 3, 0.5, 1, cpu, cpu is null ? null : 6_000),
                new PhaseResult("1 caller", 1, 0, false, errors > 0 ? errors : 1_000, errors, 1_000, p50, p99, p999, p50, p99, cpu, null),
            ],
            [new StepResult(2_000, 4_000, 0, p50, p99, p999, cpu, 0.05)],
            maxAt1Ms, maxAt1Ms, 100, 90);
}
