using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Helix.Core.Principals;
using Helix.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.Principals;

public sealed class KeyDirectoryTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Generate_PrefixRoleAnd256RandomBits_HashIsSha256OfTheText()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeySecrets.Generate(PrincipalRole.Agent)).ToArray();

        Assert.All(keys, k => Assert.StartsWith("hlx_agent_", k.Secret, StringComparison.Ordinal));
        Assert.All(keys, k => Assert.Equal(32, Base64Url.DecodeFromChars(k.Secret.AsSpan("hlx_agent_".Length)).Length));
        Assert.All(keys, k => Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(k.Secret)), k.Hash));
        Assert.Equal(100, keys.Select(k => k.Secret).Distinct().Count());
        Assert.DoesNotContain(keys[0].Secret, keys[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryResolve_ValidKey_ItsPrincipal_RevokedOrAlteredKey_None()
    {
        var (store, directory, _) = Create();
        var app = await AddAsync(store, "k1", PrincipalRole.App, ["chat"]);
        var gone = await AddAsync(store, "k2", PrincipalRole.Viewer);
        await store.RevokeAsync("k2", s_start, Ct);
        await directory.ReloadAsync(Ct);

        Assert.True(directory.TryResolve(app.Secret, out var entry));
        Assert.Equal(new Principal("k1", "key k1", PrincipalRole.App, ["chat"]).Id, entry.Principal.Id);
        Assert.Equal(["chat"], entry.Principal.Operations);
        Assert.False(directory.TryResolve(gone.Secret, out _));
        Assert.False(directory.TryResolve(app.Secret[..^1] + (app.Secret[^1] == 'A' ? 'B' : 'A'), out _));
        Assert.False(directory.TryResolve(string.Empty, out _));
        Assert.False(directory.TryResolve(new string('x', ApiKeySecrets.MaxLength + 1), out _));
        Assert.Equal("key k2", directory.NameOf("k2"));
        Assert.True(directory.HasDataPlaneKeys);
    }

    [Fact]
    public async Task TryResolve_StoredHashSharesTheIndexedPrefixOnly_Refused()
    {
        // The index finds candidates by the hash's first 8 bytes; the whole hash must then match (compared in
        // constant time), so a key whose hash agrees on the prefix alone is refused.
        var (store, directory, _) = Create();
        const string Presented = "hlx_app_presented";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Presented));
        hash[31] ^= 0xFF;
        await store.CreateAsync(new ApiKeyRecord("near", "near miss", PrincipalRole.App, null, null, hash, s_start, "test"), Ct);
        await directory.ReloadAsync(Ct);

        Assert.False(directory.TryResolve(Presented, out _));
    }

    [Fact]
    public async Task HasDataPlaneKeys_OnlyHumanKeys_False_RevokedAppKeyStillCounts()
    {
        var (store, directory, _) = Create();
        await AddAsync(store, "h", PrincipalRole.Admin);
        await directory.ReloadAsync(Ct);
        Assert.False(directory.HasDataPlaneKeys);

        await AddAsync(store, "a", PrincipalRole.App);
        await store.RevokeAsync("a", s_start, Ct);
        await directory.ReloadAsync(Ct);

        Assert.True(directory.HasDataPlaneKeys);
    }

    [Fact]
    public async Task LastUsed_ManyRequests_OneCoalescedWrite_NothingNewNoWrite()
    {
        var (store, directory, time) = Create();
        var key = await AddAsync(store, "busy", PrincipalRole.App);
        await directory.ReloadAsync(Ct);

        for (var i = 0; i < 1000; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(directory.TryResolve(key.Secret, out _));
        }

        await directory.ReloadAsync(Ct);
        Assert.Equal(0, store.UseWrites);
        await directory.FlushUsesAsync(Ct);
        await directory.FlushUsesAsync(Ct);

        Assert.Equal(1, store.UseWrites);
        Assert.Equal(time.GetUtcNow(), (await store.ListAsync(Ct)).Single().LastUsedAt);
    }

    [Fact]
    public async Task LastUsed_KeyRevokedBeforeTheFlush_StillWritten()
    {
        var (store, directory, time) = Create();
        var key = await AddAsync(store, "short", PrincipalRole.App);
        await directory.ReloadAsync(Ct);
        Assert.True(directory.TryResolve(key.Secret, out _));

        await store.RevokeAsync("short", time.GetUtcNow(), Ct);
        await directory.ReloadAsync(Ct);
        await directory.FlushUsesAsync(Ct);

        Assert.Equal(s_start, (await store.ListAsync(Ct)).Single().LastUsedAt);
    }

    private static (InMemoryKeyStore Store, KeyDirectory Directory, FakeTimeProvider Time) Create()
    {
        var store = new InMemoryKeyStore();
        var time = new FakeTimeProvider(s_start);
        return (store, new KeyDirectory(store, time), time);
    }

    private static async Task<NewApiKey> AddAsync(InMemoryKeyStore store, string id, PrincipalRole role, string[]? operations = null)
    {
        var key = ApiKeySecrets.Generate(role);
        await store.CreateAsync(new ApiKeyRecord(id, $"key {id}", role, operations, null, key.Hash, s_start, "test"), Ct);
        return key;
    }
}
