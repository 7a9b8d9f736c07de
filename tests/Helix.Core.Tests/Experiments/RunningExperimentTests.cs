using System.Collections.Immutable;
using Helix.Core.Experiments;
using Helix.Core.Routing;
using Xunit;

namespace Helix.Core.Tests.Experiments;

public sealed class RunningExperimentTests
{
    private static readonly ModelConfig s_pro = new() { Id = "deepseek/deepseek-v4-pro", Provider = "deepseek", ProviderModel = "deepseek-v4-pro" };
    private static readonly ModelConfig s_flash = new() { Id = "deepseek/deepseek-v4-flash", Provider = "deepseek", ProviderModel = "deepseek-v4-flash" };
    private static readonly ModelConfig s_gemini = new() { Id = "gemini/gemini-2.5-pro", Provider = "gemini", ProviderModel = "gemini-2.5-pro" };

    [Fact]
    public void ArmOf_TenThousandUsers_SplitsByTheShares()
    {
        var experiment = new RunningExperiment(Config("exp_split", 0.7m, 0.2m, 0.1m));

        var counts = Enumerable.Range(0, 10_000).Select(i => experiment.ArmOf($"user-{i}").Name).CountBy(n => n).ToDictionary();

        Assert.InRange(counts["control"], 6_800, 7_200);
        Assert.InRange(counts["candidate-1"], 1_850, 2_150);
        Assert.InRange(counts["candidate-2"], 880, 1_120);
    }

    [Fact]
    public void ArmOf_SameUser_SameArmAcrossInstances_DifferentExperimentsSplitIndependently()
    {
        var first = new RunningExperiment(Config("exp_a", 0.5m, 0.5m));
        var again = new RunningExperiment(Config("exp_a", 0.5m, 0.5m));
        var other = new RunningExperiment(Config("exp_b", 0.5m, 0.5m));
        var users = Enumerable.Range(0, 2_000).Select(i => $"u{i}").ToArray();

        Assert.All(users, u => Assert.Equal(first.ArmOf(u), again.ArmOf(u)));
        var same = users.Count(u => first.ArmOf(u).Name == other.ArmOf(u).Name);
        Assert.InRange(same, 880, 1_120);
    }

    [Fact]
    public void Assign_CandidateArm_PutsItsModelFirstAndKeepsTheFallbacks_MemoisedPerRoute()
    {
        var experiment = new RunningExperiment(Config("exp_route", 0.5m, 0.5m));
        var decision = new RouteDecision(
            new RouteConfig { Operation = "agent", PrimaryModel = s_pro.Id, FallbackModels = [s_gemini.Id] }, [s_pro, s_gemini]);
        var models = new Dictionary<string, ModelConfig>(StringComparer.OrdinalIgnoreCase) { [s_pro.Id] = s_pro, [s_flash.Id] = s_flash, [s_gemini.Id] = s_gemini };
        var candidateUser = Enumerable.Range(0, 100).Select(i => $"u{i}").First(u => experiment.ArmOf(u).Name == "candidate-1");
        var controlUser = Enumerable.Range(0, 100).Select(i => $"u{i}").First(u => experiment.ArmOf(u).Name == "control");

        var candidate = experiment.Assign(candidateUser, decision, models, out var candidateAssignment);
        var control = experiment.Assign(controlUser, decision, models, out var controlAssignment);

        Assert.Equal([s_flash.Id, s_gemini.Id], candidate.Targets.Select(t => t.Id));
        Assert.Equal(s_flash.Id, candidate.Route.PrimaryModel);
        Assert.Equal([s_gemini.Id], candidate.Route.FallbackModels);
        Assert.Equal(new ExperimentAssignment("exp_route", "candidate-1"), candidateAssignment);
        Assert.Same(decision, control);
        Assert.Equal("control", controlAssignment.Arm);
        Assert.Same(candidate, experiment.Assign(candidateUser, decision, models, out _));
    }

    private static ExperimentConfig Config(string id, params decimal[] shares) => new()
    {
        Id = id,
        Operation = "agent",
        Arms = [.. shares.Select((s, i) => new ExperimentArm(i == 0 ? "control" : ExperimentArm.CandidateName(i), i == 0 ? s_pro.Id : i == 1 ? s_flash.Id : s_gemini.Id, s))],
        CreatedAt = DateTimeOffset.UnixEpoch,
        CreatedBy = "test",
    };
}
