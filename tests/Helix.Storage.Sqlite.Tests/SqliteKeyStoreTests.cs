using Helix.Core.Principals;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteKeyStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateListRevoke_RoundTripsEveryField_RevokingTwiceKeepsTheFirstTime()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteKeyStore(test.Database);
        var now = test.Time.GetUtcNow();
        var secret = ApiKeySecrets.Generate(PrincipalRole.App);
        var key = new ApiKeyRecord("key_1", "billing", PrincipalRole.App, ["chat", "email-drafting"], 60, secret.Hash, now, "bootstrap-admin");

        await store.CreateAsync(key, Ct);
        var listed = Assert.Single(await store.ListAsync(Ct));
        var revoked = await store.RevokeAsync("key_1", now.AddMinutes(1), Ct);
        var again = await store.RevokeAsync("key_1", now.AddMinutes(2), Ct);

        Assert.Equal((key.Id, key.Name, key.Role, key.RequestsPerMinute, key.CreatedAt, key.CreatedBy), (listed.Id, listed.Name, listed.Role, listed.RequestsPerMinute, listed.CreatedAt, listed.CreatedBy));
        Assert.Equal(key.Operations, listed.Operations);
        Assert.Equal(secret.Hash, listed.Hash.ToArray());
        Assert.Equal(now.AddMinutes(1), revoked!.Value.After.RevokedAt);
        Assert.Null(revoked.Value.Before.RevokedAt);
        Assert.Equal(now.AddMinutes(1), again!.Value.After.RevokedAt);
        Assert.Null(await store.RevokeAsync("key_none", now, Ct));
    }

    [Fact]
    public async Task Create_SameHashTwice_Refused()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteKeyStore(test.Database);
        var secret = ApiKeySecrets.Generate(PrincipalRole.Admin);
        await store.CreateAsync(new ApiKeyRecord("a", "a", PrincipalRole.Admin, null, null, secret.Hash, test.Time.GetUtcNow(), "x"), Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.CreateAsync(new ApiKeyRecord("b", "b", PrincipalRole.Admin, null, null, secret.Hash, test.Time.GetUtcNow(), "x"), Ct));
    }

    [Fact]
    public async Task RecordUses_OnlyMovesForward()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteKeyStore(test.Database);
        var now = test.Time.GetUtcNow();
        await store.CreateAsync(new ApiKeyRecord("k", "k", PrincipalRole.App, null, null, ApiKeySecrets.Generate(PrincipalRole.App).Hash, now, "x"), Ct);

        await store.RecordUsesAsync([new KeyUse("k", now.AddMinutes(5))], Ct);
        await store.RecordUsesAsync([new KeyUse("k", now.AddMinutes(1)), new KeyUse("unknown", now)], Ct);

        Assert.Equal(now.AddMinutes(5), Assert.Single(await store.ListAsync(Ct)).LastUsedAt);
    }
}
