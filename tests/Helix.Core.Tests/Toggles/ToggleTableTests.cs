using Helix.Core.Toggles;
using Helix.Testing;
using Xunit;

namespace Helix.Core.Tests.Toggles;

public sealed class ToggleTableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetAsync_NewToggle_IsServedFromTheNextSnapshot()
    {
        var store = new InMemoryToggleStore();
        using var table = new ToggleTable(store, SafetyToggles.Default, TimeProvider.System);
        await table.InitializeAsync(Ct);
        var before = table.Current;

        var result = await table.SetAsync(new ToggleUpdate("kill:model:deepseek/deepseek-v4-flash", true, Owner: "platform"), "key-1", Ct);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value.Before);
        Assert.Equal((ToggleScope.Model, "deepseek/deepseek-v4-flash", "key-1", "platform"),
            (result.Value.After!.Scope, result.Value.After.Subject, result.Value.After.UpdatedBy, result.Value.After.Owner));
        Assert.True(table.Current.Revision > before.Revision);
        Assert.Null(before.ModelKill("deepseek/deepseek-v4-flash"));
        Assert.NotNull(table.Current.ModelKill("deepseek/deepseek-v4-flash"));
    }

    [Fact]
    public async Task SetAsync_ExistingToggle_KeepsWhatTheUpdateLeavesOut()
    {
        var store = new InMemoryToggleStore();
        using var table = new ToggleTable(store, SafetyToggles.Default, TimeProvider.System);
        await table.SetAsync(new ToggleUpdate("beta", true, ToggleScope.Operation, "chat", "Beta answers", "team-a"), "key-1", Ct);

        var result = await table.SetAsync(new ToggleUpdate("beta", false), "key-2", Ct);

        Assert.True(result.Value!.Before!.Enabled);
        Assert.Equal((false, ToggleScope.Operation, "chat", "Beta answers", "team-a"),
            (result.Value.After!.Enabled, result.Value.After.Scope, result.Value.After.Subject, result.Value.After.Description, result.Value.After.Owner));
    }

    [Theory]
    [InlineData(ToggleNames.AgentsCannotApprove, false)]
    [InlineData("AGENTS-CANNOT-CHANGE-ROUTES", true)]
    public async Task SetAsync_LockedToggle_RefusedWithToggleLockedAndNothingStored(string name, bool enabled)
    {
        var store = new InMemoryToggleStore();
        using var table = new ToggleTable(store, SafetyToggles.Default, TimeProvider.System);
        await table.InitializeAsync(Ct);

        var set = await table.SetAsync(new ToggleUpdate(name, enabled), "bootstrap-admin", Ct);
        var delete = await table.DeleteAsync(name, Ct);

        Assert.Equal((ToggleTable.ToggleLocked, 409), (set.Error?.Code, set.Error?.StatusCode));
        Assert.Equal(ToggleTable.ToggleLocked, delete.Error?.Code);
        Assert.Empty(await store.GetTogglesAsync(Ct));
        Assert.True(table.Current.IsEnabled(name));
    }

    [Theory]
    [InlineData("bad name", "invalid_toggle_name")]
    [InlineData("kill:everything", "invalid_toggle_name")]
    [InlineData("kill:operation:", "invalid_toggle_name")]
    public async Task SetAsync_BadName_RefusedAndNothingStored(string name, string code)
    {
        var store = new InMemoryToggleStore();
        using var table = new ToggleTable(store, SafetyToggles.Default, TimeProvider.System);

        var result = await table.SetAsync(new ToggleUpdate(name, true), "key-1", Ct);

        Assert.Equal((code, 400), (result.Error?.Code, result.Error?.StatusCode));
        Assert.Empty(await store.GetTogglesAsync(Ct));
    }

    [Fact]
    public async Task SetAsync_KillSwitchWithAnotherScope_Refused()
    {
        using var table = new ToggleTable(new InMemoryToggleStore(), SafetyToggles.Default, TimeProvider.System);

        var result = await table.SetAsync(new ToggleUpdate("kill:provider:gemini", true, ToggleScope.Model), "key-1", Ct);

        Assert.Equal("toggle_scope_mismatch", result.Error?.Code);
    }

    [Fact]
    public async Task SetAsync_ScopedToggleWithoutSubject_Refused()
    {
        using var table = new ToggleTable(new InMemoryToggleStore(), SafetyToggles.Default, TimeProvider.System);

        var result = await table.SetAsync(new ToggleUpdate("beta", true, ToggleScope.Operation), "key-1", Ct);

        Assert.Equal("toggle_scope_mismatch", result.Error?.Code);
    }

    [Fact]
    public async Task DeleteAsync_UnknownToggle_NotFound()
    {
        using var table = new ToggleTable(new InMemoryToggleStore(), SafetyToggles.Default, TimeProvider.System);

        var result = await table.DeleteAsync("nothing-here", Ct);

        Assert.Equal((404, "toggle_not_found"), (result.Error?.StatusCode, result.Error?.Code));
    }

    [Fact]
    public async Task DeleteAsync_StoredToggle_IsGoneFromTheNextSnapshot()
    {
        var store = new InMemoryToggleStore();
        using var table = new ToggleTable(store, SafetyToggles.Default, TimeProvider.System);
        await table.SetAsync(new ToggleUpdate("kill:operation:chat", true), "key-1", Ct);

        var result = await table.DeleteAsync("KILL:OPERATION:CHAT", Ct);

        Assert.Equal("kill:operation:chat", result.Value!.Before?.Name);
        Assert.Null(result.Value.After);
        Assert.Null(table.Current.OperationKill("chat"));
        Assert.Empty(await store.GetTogglesAsync(Ct));
    }

    [Fact]
    public async Task InitializeAsync_StoredRowContradictsALockedToggle_ThrowsNamingIt()
    {
        var store = new InMemoryToggleStore(new ToggleConfig { Name = ToggleNames.MoneyOperationsRequireApproval, Enabled = false, UpdatedBy = "someone" });
        using var table = new ToggleTable(store, SafetyToggles.Default, TimeProvider.System);

        var ex = await Assert.ThrowsAsync<LockedToggleConflictException>(() => table.InitializeAsync(Ct));

        var conflict = Assert.Single(ex.Conflicts);
        Assert.Contains(ToggleNames.MoneyOperationsRequireApproval, conflict, StringComparison.Ordinal);
        Assert.Equal(0, table.Current.Revision);
    }

    [Fact]
    public async Task InitializeAsync_StoredRowAgreesWithALockedToggle_Starts()
    {
        var store = new InMemoryToggleStore(new ToggleConfig { Name = ToggleNames.AgentsCannotApprove, Enabled = true, UpdatedBy = "someone" });
        using var table = new ToggleTable(store, SafetyToggles.Default, TimeProvider.System);

        await table.InitializeAsync(Ct);

        Assert.True(table.Current.TryGet(ToggleNames.AgentsCannotApprove, out var toggle) && toggle.Locked);
    }

    [Fact]
    public async Task ReloadAsync_RowEditedBehindTheApi_ServedAfterTheReloadAndLockedStillWins()
    {
        var store = new InMemoryToggleStore();
        using var table = new ToggleTable(store, SafetyToggles.Default, TimeProvider.System);
        await table.InitializeAsync(Ct);
        store.Put(new ToggleConfig { Name = "kill:global", Enabled = true, UpdatedBy = "dba" });
        store.Put(new ToggleConfig { Name = ToggleNames.AgentsCannotApprove, Enabled = false, UpdatedBy = "dba" });

        var snapshot = await table.ReloadAsync(Ct);

        Assert.NotNull(table.Current.GlobalKill);
        Assert.True(table.Current.IsEnabled(ToggleNames.AgentsCannotApprove));
        Assert.Single(snapshot.LockedConflicts);
    }

    [Fact]
    public async Task Current_NoStore_HoldsTheLockedTogglesAndChangesAreRefused()
    {
        using var table = new ToggleTable(null, SafetyToggles.Default, TimeProvider.System);
        await table.InitializeAsync(Ct);

        Assert.True(table.Current.IsEnabled(ToggleNames.AgentsCannotChangeRoutes));
        await Assert.ThrowsAsync<InvalidOperationException>(() => table.SetAsync(new ToggleUpdate("beta", true), "key-1", Ct));
    }
}
