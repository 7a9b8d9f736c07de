using Helix.Core.Toggles;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteToggleStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset s_at = new(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task SaveToggleAsync_ThenGet_RoundTripsEveryField()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteToggleStore(test.Database);
        var toggle = new ToggleConfig
        {
            Name = "kill:model:openai/gpt-4o",
            Enabled = true,
            Scope = ToggleScope.Model,
            Subject = "openai/gpt-4o",
            Description = "Stop gpt-4o",
            Owner = "platform",
            UpdatedAt = s_at,
            UpdatedBy = "key-1",
        };

        await store.SaveToggleAsync(toggle, Ct);

        Assert.Equal(toggle, Assert.Single(await store.GetTogglesAsync(Ct)));
    }

    [Fact]
    public async Task SaveToggleAsync_SameNameOtherCase_ReplacesTheRow()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteToggleStore(test.Database);
        await store.SaveToggleAsync(new ToggleConfig { Name = "beta", Enabled = true, UpdatedAt = s_at, UpdatedBy = "a" }, Ct);

        await store.SaveToggleAsync(new ToggleConfig { Name = "BETA", Enabled = false, Owner = "b", UpdatedAt = s_at.AddHours(1), UpdatedBy = "b" }, Ct);

        var stored = Assert.Single(await store.GetTogglesAsync(Ct));
        Assert.Equal((false, "b", "b", s_at.AddHours(1)), (stored.Enabled, stored.Owner, stored.UpdatedBy, stored.UpdatedAt));
    }

    [Fact]
    public async Task SaveToggleAsync_LockedToggle_IsNeverStored()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteToggleStore(test.Database);

        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveToggleAsync(SafetyToggles.BuiltIn[0] with { UpdatedAt = s_at, UpdatedBy = "a" }, Ct));

        Assert.Empty(await store.GetTogglesAsync(Ct));
    }

    [Fact]
    public async Task DeleteToggleAsync_RemovesTheRowOnce()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteToggleStore(test.Database);
        await store.SaveToggleAsync(new ToggleConfig { Name = "kill:operation:chat", Enabled = true, Scope = ToggleScope.Operation, Subject = "chat", UpdatedAt = s_at, UpdatedBy = "a" }, Ct);

        Assert.True(await store.DeleteToggleAsync("Kill:Operation:Chat", Ct));
        Assert.False(await store.DeleteToggleAsync("kill:operation:chat", Ct));
        Assert.Empty(await store.GetTogglesAsync(Ct));
    }
}
