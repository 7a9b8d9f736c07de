using System.Text.Json;
using Xunit;

namespace Helix.LoadGenerator.Tests;

/// <summary>The CI guard fails on a gross regression in every round, and never on one noisy round.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("helix-check-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void WithinTwiceTheBaseline_Passes() =>
        Assert.Equal(0, Check(baselineRatio: 2.0, baselineBytes: 40_000, (200, 700, 45_000, 0), (200, 760, 45_000, 0)));

    [Fact]
    public void CpuRatioPastTwiceTheBaseline_InEveryRound_Fails() =>
        Assert.Equal(1, Check(baselineRatio: 2.0, baselineBytes: 40_000, (200, 900, 40_000, 0), (200, 1_000, 40_000, 0)));

    [Fact]
    public void OneNoisyRound_Passes() =>
        Assert.Equal(0, Check(baselineRatio: 2.0, baselineBytes: 40_000, (100, 900, 40_000, 0), (200, 500, 40_000, 0)));

    [Fact]
    public void AllocationsPastTwiceTheBaseline_InEveryRound_Fail() =>
        Assert.Equal(1, Check(baselineRatio: 2.0, baselineBytes: 40_000, (200, 400, 90_000, 0), (200, 400, 85_000, 0)));

    [Fact]
    public void AFailedCall_Fails() =>
        Assert.Equal(1, Check(baselineRatio: 2.0, baselineBytes: 40_000, (200, 400, 40_000, 3), (200, 400, 40_000, 0)));

    [Fact]
    public void Write_StoresTheRoundsMean_WhichTheNextCheckReads()
    {
        var args = Rounds((200, 400, 40_000, 0), (200, 600, 50_000, 0));
        var baseline = Path.Combine(_directory.FullName, "written.json");

        Assert.Equal(0, CheckCommand.Run(["check", "--baseline", baseline, .. args, "--write"]));

        using var written = JsonDocument.Parse(File.ReadAllText(baseline));
        Assert.Equal(2.5, written.RootElement.GetProperty("helixCpuRatioToYarp").GetDouble());
        Assert.Equal(45_000, written.RootElement.GetProperty("helixAllocatedBytesPerRequest").GetDouble());
        Assert.Equal(0, CheckCommand.Run(["check", "--baseline", baseline, .. args]));
    }

    [Fact]
    public void MissingArguments_AreRefusedWithUsage() =>
        Assert.Equal(2, CheckCommand.Run(["check", "--yarp", "only.json"]));

    private int Check(double baselineRatio, double baselineBytes, params (double YarpCpu, double HelixCpu, double HelixBytes, int Errors)[] rounds)
    {
        var baseline = Path.Combine(_directory.FullName, "baseline.json");
        File.WriteAllText(baseline, JsonSerializer.Serialize(new
        {
            helixCpuRatioToYarp = baselineRatio,
            helixAllocatedBytesPerRequest = baselineBytes,
            helixCpuMicrosecondsPerRequest = 0,
            yarpCpuMicrosecondsPerRequest = 0,
        }));
        return CheckCommand.Run(["check", "--baseline", baseline, .. Rounds(rounds)]);
    }

    private string[] Rounds(params (double YarpCpu, double HelixCpu, double HelixBytes, int Errors)[] rounds)
    {
        List<string> args = [];
        for (var i = 0; i < rounds.Length; i++)
        {
            args.AddRange(["--yarp", Write($"yarp{i}.json", "YARP", rounds[i].YarpCpu, 6_000, 0)]);
            args.AddRange(["--helix", Write($"helix{i}.json", "Helix", rounds[i].HelixCpu, rounds[i].HelixBytes, rounds[i].Errors)]);
        }

        return [.. args];
    }

    private string Write(string file, string name, double cpu, double bytes, int errors)
    {
        var path = Path.Combine(_directory.FullName, file);
        var phase = new PhaseResult("saturated", 32, 0, false, 1_000, errors, 300, 1, 2, 3, 0.5, 1, cpu, bytes);
        File.WriteAllText(path, JsonSerializer.Serialize(new SuiteResult(name, [phase], [], null, null, 100, 90), Json.Options));
        return path;
    }
}
