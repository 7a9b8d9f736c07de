using Helix.Core.Toggles;
using Xunit;

namespace Helix.Core.Tests.Toggles;

public sealed class ToggleSnapshotTests
{
    private static ToggleConfig Stored(string name, bool enabled) => new() { Name = name, Enabled = enabled, UpdatedAt = DateTimeOffset.UnixEpoch, UpdatedBy = "test" };

    [Fact]
    public void AreEnabled_ManyNames_AnswersEachFromOneSnapshot()
    {
        var snapshot = new ToggleSnapshot(1, SafetyToggles.Default, [Stored("new-dashboard", true), Stored("beta-export", false)]);
        string[] names = ["new-dashboard", "BETA-EXPORT", "absent", ToggleNames.AgentsCannotApprove];
        Span<bool> enabled = stackalloc bool[names.Length];

        snapshot.AreEnabled(names, enabled);

        Assert.Equal([true, false, false, true], enabled.ToArray());
        Assert.Equal(
            new Dictionary<string, bool> { ["new-dashboard"] = true, ["absent"] = false, [ToggleNames.MoneyOperationsRequireApproval] = true },
            snapshot.AreEnabled(["new-dashboard", "absent", ToggleNames.MoneyOperationsRequireApproval]));
    }

    [Fact]
    public void AreEnabled_ResultsShorterThanNames_Throws()
    {
        var snapshot = new ToggleSnapshot(1, SafetyToggles.Default, []);

        Assert.Throws<ArgumentException>(() => snapshot.AreEnabled(["a", "b"], new bool[1]));
    }

    [Fact]
    public void Constructor_EnabledKillSwitches_AreIndexedByWhatTheyKill()
    {
        var snapshot = new ToggleSnapshot(1, SafetyToggles.Default,
        [
            Stored("kill:operation:chat", true),
            Stored("kill:provider:gemini", true),
            Stored("kill:model:openai/gpt-4o", true),
            Stored("kill:operation:agent", false),
        ]);

        Assert.Null(snapshot.GlobalKill);
        Assert.True(snapshot.KillsModels);
        Assert.Equal("kill:operation:chat", snapshot.OperationKill("Chat")?.Name);
        Assert.Null(snapshot.OperationKill("agent"));
        Assert.Equal("kill:provider:gemini", snapshot.ProviderKill("gemini")?.Name);
        Assert.Equal("kill:model:openai/gpt-4o", snapshot.ModelKill("openai/gpt-4o")?.Name);
        Assert.Null(snapshot.ModelKill("openai/gpt-4o-mini"));
    }

    [Fact]
    public void Constructor_NoKillSwitchOn_KillsNothing()
    {
        var snapshot = new ToggleSnapshot(1, SafetyToggles.Default, [Stored("kill:global", false), Stored("kill:model:a/b", false)]);

        Assert.Null(snapshot.GlobalKill);
        Assert.False(snapshot.KillsModels);
    }

    [Fact]
    public void Constructor_StoredRowContradictsALockedToggle_LockedWinsAndTheConflictIsNamed()
    {
        var snapshot = new ToggleSnapshot(1, SafetyToggles.Default, [Stored(ToggleNames.AgentsCannotApprove, false), Stored(ToggleNames.AgentsCannotChangeRoutes, true)]);

        Assert.True(snapshot.IsEnabled(ToggleNames.AgentsCannotApprove));
        Assert.True(snapshot.TryGet(ToggleNames.AgentsCannotApprove, out var toggle) && toggle.Locked);
        var conflict = Assert.Single(snapshot.LockedConflicts);
        Assert.Contains(ToggleNames.AgentsCannotApprove, conflict, StringComparison.Ordinal);
    }

    [Fact]
    public void Toggles_ListsLockedAndStored_OrderedByName()
    {
        var snapshot = new ToggleSnapshot(1, SafetyToggles.Default, [Stored("zeta", true), Stored("alpha", false)]);

        Assert.Equal(
            ["agents-cannot-approve", "agents-cannot-change-routes", "alpha", "money-operations-require-approval", "recommendations-require-approval", "zeta"],
            snapshot.Toggles.Select(t => t.Name));
    }
}
