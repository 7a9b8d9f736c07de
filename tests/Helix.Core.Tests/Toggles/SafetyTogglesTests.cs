using Helix.Core.Toggles;
using Xunit;

namespace Helix.Core.Tests.Toggles;

public sealed class SafetyTogglesTests
{
    [Fact]
    public void Default_BuiltInGuardrails_AreAllLockedAndEnabled()
    {
        var safety = SafetyToggles.Default;

        Assert.True(safety.AgentsCannotChangeRoutes);
        Assert.True(safety.AgentsCannotApprove);
        Assert.True(safety.MoneyOperationsRequireApproval);
        Assert.True(safety.RecommendationsRequireApproval);
        Assert.All(safety.All, t => Assert.True(t.Locked && t.Enabled && t.LockedReason is { Length: > 0 } && t.Description is { Length: > 0 }));
        Assert.Equal(4, safety.All.Length);
    }

    [Fact]
    public void Constructor_ConfiguredLockedKillSwitch_IsLockedWithItsScopeFromItsName()
    {
        var safety = new SafetyToggles([new LockedToggleOptions { Name = "kill:operation:email-drafting", Reason = "legal hold" }.ToToggle()]);

        Assert.True(safety.TryGet("kill:operation:email-drafting", out var toggle));
        Assert.Equal((true, true, ToggleScope.Operation, "email-drafting", "legal hold"), (toggle.Locked, toggle.Enabled, toggle.Scope, toggle.Subject, toggle.LockedReason));
        Assert.Equal(5, safety.All.Length);
    }

    [Fact]
    public void Constructor_ConfigurationSwitchesABuiltInOff_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SafetyToggles([new LockedToggleOptions { Name = ToggleNames.AgentsCannotApprove, Enabled = false }.ToToggle()]));

        Assert.Contains(ToggleNames.AgentsCannotApprove, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadLockedToggles_NamesEveryKey()
    {
        var options = new TogglesOptions();
        options.Locked.Add(new LockedToggleOptions { Name = ToggleNames.MoneyOperationsRequireApproval, Enabled = false });
        options.Locked.Add(new LockedToggleOptions { Name = "bad name" });
        options.Locked.Add(new LockedToggleOptions { Name = "kill:everything" });

        var result = new ValidateTogglesOptions().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Helix:Toggles:Locked:0", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Helix:Toggles:Locked:1:Name", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Helix:Toggles:Locked:2:Name", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AddedLockedToggle_Succeeds()
    {
        var options = new TogglesOptions();
        options.Locked.Add(new LockedToggleOptions { Name = "kill:provider:deepgram" });
        options.Locked.Add(new LockedToggleOptions { Name = ToggleNames.AgentsCannotApprove });

        Assert.True(new ValidateTogglesOptions().Validate(null, options).Succeeded);
    }
}
