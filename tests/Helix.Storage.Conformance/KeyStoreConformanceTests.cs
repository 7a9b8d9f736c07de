using Helix.Core.Principals;
using Helix.Testing;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>What every back-end of <see cref="IKeyStore"/> must do.</summary>
public abstract class KeyStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = TestEntries.Epoch;

    private IKeyStore? _store;
    private IAsyncDisposable? _owner;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IKeyStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates the store over a new, empty database, and what owns it.</summary>
    protected abstract Task<(IKeyStore Store, IAsyncDisposable? Owner)> CreateStoreAsync();

    public async ValueTask InitializeAsync() => (_store, _owner) = await CreateStoreAsync();

    public async ValueTask DisposeAsync()
    {
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task CreateListRevoke_RoundTripsEveryField_RevokingTwiceKeepsTheFirstTime()
    {
        var secret = ApiKeySecrets.Generate(PrincipalRole.App);
        var key = new ApiKeyRecord("key_1", "billing", PrincipalRole.App, ["chat", "email-drafting"], 60, secret.Hash, s_now, "bootstrap-admin");

        await Store.CreateAsync(key, Ct);
        var listed = Assert.Single(await Store.ListAsync(Ct));
        var revoked = await Store.RevokeAsync("key_1", s_now.AddMinutes(1), Ct);
        var again = await Store.RevokeAsync("key_1", s_now.AddMinutes(2), Ct);

        Assert.Equal((key.Id, key.Name, key.Role, key.RequestsPerMinute, key.CreatedAt, key.CreatedBy), (listed.Id, listed.Name, listed.Role, listed.RequestsPerMinute, listed.CreatedAt, listed.CreatedBy));
        Assert.Equal(key.Operations, listed.Operations);
        Assert.Equal(secret.Hash, listed.Hash.ToArray());
        Assert.Null(listed.LastUsedAt);
        Assert.Null(listed.RevokedAt);
        Assert.Equal(s_now.AddMinutes(1), revoked!.Value.After.RevokedAt);
        Assert.Null(revoked.Value.Before.RevokedAt);
        Assert.Equal(s_now.AddMinutes(1), again!.Value.After.RevokedAt);
        Assert.Equal(s_now.AddMinutes(1), Assert.Single(await Store.ListAsync(Ct)).RevokedAt);
        Assert.Null(await Store.RevokeAsync("key_none", s_now, Ct));
    }

    [Fact]
    public async Task Update_SetsNameRoleOperationsAndRate_KeepsTheRest_LeavesARevokedKeyAsItIs()
    {
        var secret = ApiKeySecrets.Generate(PrincipalRole.App);
        var key = new ApiKeyRecord("key_e", "billing", PrincipalRole.App, ["chat"], 60, secret.Hash, s_now, "bootstrap-admin");
        await Store.CreateAsync(key, Ct);
        await Store.RecordUsesAsync([new KeyUse("key_e", s_now.AddMinutes(3))], Ct);

        var changed = await Store.UpdateAsync("key_e", new ApiKeyEdit("drafts", PrincipalRole.Agent, ["email-drafting", "chat"], 5), Ct);
        var listed = Assert.Single(await Store.ListAsync(Ct));

        Assert.Equal(("billing", PrincipalRole.App, 60), (changed!.Value.Before.Name, changed.Value.Before.Role, changed.Value.Before.RequestsPerMinute));
        Assert.Equal(["chat"], changed.Value.Before.Operations);
        foreach (var after in new[] { changed.Value.After, listed })
        {
            Assert.Equal(("key_e", "drafts", PrincipalRole.Agent, 5), (after.Id, after.Name, after.Role, after.RequestsPerMinute));
            Assert.Equal(["email-drafting", "chat"], after.Operations);
            Assert.Equal(secret.Hash, after.Hash.ToArray());
            Assert.Equal((s_now, "bootstrap-admin"), (after.CreatedAt, after.CreatedBy));
            Assert.Null(after.RevokedAt);
        }

        Assert.Equal(s_now.AddMinutes(3), listed.LastUsedAt);

        await Store.UpdateAsync("key_e", new ApiKeyEdit("a person", PrincipalRole.Viewer, null, null), Ct);
        listed = Assert.Single(await Store.ListAsync(Ct));
        Assert.Equal(("a person", PrincipalRole.Viewer), (listed.Name, listed.Role));
        Assert.Null(listed.Operations);
        Assert.Null(listed.RequestsPerMinute);

        Assert.Null(await Store.UpdateAsync("key_none", new ApiKeyEdit("x", PrincipalRole.App, null, null), Ct));
        await Store.RevokeAsync("key_e", s_now.AddMinutes(5), Ct);
        var refused = await Store.UpdateAsync("key_e", new ApiKeyEdit("revived", PrincipalRole.Admin, null, null), Ct);
        Assert.Equal(refused!.Value.Before, refused.Value.After);
        Assert.Equal(("a person", PrincipalRole.Viewer, s_now.AddMinutes(5)), (refused.Value.After.Name, refused.Value.After.Role, refused.Value.After.RevokedAt));
        listed = Assert.Single(await Store.ListAsync(Ct));
        Assert.Equal(("a person", PrincipalRole.Viewer), (listed.Name, listed.Role));
    }

    [Fact]
    public async Task Create_KeyForEveryOperation_ReadsBackNullOperations()
    {
        await Store.CreateAsync(new ApiKeyRecord("key_all", "all", PrincipalRole.Agent, null, null, ApiKeySecrets.Generate(PrincipalRole.Agent).Hash, s_now, "x"), Ct);

        var listed = Assert.Single(await Store.ListAsync(Ct));

        Assert.Null(listed.Operations);
        Assert.Null(listed.RequestsPerMinute);
        Assert.Equal(PrincipalRole.Agent, listed.Role);
    }

    [Fact]
    public async Task Create_SameHashTwice_Refused()
    {
        var secret = ApiKeySecrets.Generate(PrincipalRole.Admin);
        await Store.CreateAsync(new ApiKeyRecord("a", "a", PrincipalRole.Admin, null, null, secret.Hash, s_now, "x"), Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.CreateAsync(new ApiKeyRecord("b", "b", PrincipalRole.Admin, null, null, secret.Hash, s_now, "x"), Ct));
        Assert.Single(await Store.ListAsync(Ct));
    }

    [Fact]
    public async Task Create_SameIdTwice_Refused()
    {
        await Store.CreateAsync(new ApiKeyRecord("a", "a", PrincipalRole.App, null, null, ApiKeySecrets.Generate(PrincipalRole.App).Hash, s_now, "x"), Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.CreateAsync(new ApiKeyRecord("a", "b", PrincipalRole.App, null, null, ApiKeySecrets.Generate(PrincipalRole.App).Hash, s_now, "x"), Ct));
    }

    [Fact]
    public async Task List_OldestFirst()
    {
        await Store.CreateAsync(new ApiKeyRecord("key_b", "b", PrincipalRole.App, null, null, ApiKeySecrets.Generate(PrincipalRole.App).Hash, s_now.AddMinutes(1), "x"), Ct);
        await Store.CreateAsync(new ApiKeyRecord("key_a", "a", PrincipalRole.App, null, null, ApiKeySecrets.Generate(PrincipalRole.App).Hash, s_now, "x"), Ct);

        Assert.Equal(["key_a", "key_b"], (await Store.ListAsync(Ct)).Select(k => k.Id));
    }

    [Fact]
    public async Task RecordUses_OnlyMovesForward()
    {
        await Store.CreateAsync(new ApiKeyRecord("k", "k", PrincipalRole.App, null, null, ApiKeySecrets.Generate(PrincipalRole.App).Hash, s_now, "x"), Ct);

        await Store.RecordUsesAsync([new KeyUse("k", s_now.AddMinutes(5))], Ct);
        await Store.RecordUsesAsync([new KeyUse("k", s_now.AddMinutes(1)), new KeyUse("unknown", s_now)], Ct);
        await Store.RecordUsesAsync([], Ct);

        Assert.Equal(s_now.AddMinutes(5), Assert.Single(await Store.ListAsync(Ct)).LastUsedAt);
    }
}
