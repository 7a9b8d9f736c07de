using Helix.Core.Accounts;
using Helix.Core.Principals;
using Helix.Testing;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>What every back-end of <see cref="IUserStore"/> must do.</summary>
public abstract class UserStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = TestEntries.Epoch;

    private IUserStore? _store;
    private IAsyncDisposable? _owner;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IUserStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates the store over a new, empty database, and what owns it.</summary>
    protected abstract Task<(IUserStore Store, IAsyncDisposable? Owner)> CreateStoreAsync();

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
    public async Task Add_GivesAnId_AndEveryLookupReadsTheSameAccount()
    {
        var added = await Store.AddAsync(Account("alice", PrincipalRole.Operator), Ct);

        Assert.NotNull(added);
        Assert.True(added.Id > 0);
        Assert.Equal(added, await Store.FindAsync(added.Id, Ct));
        Assert.Equal(added, await Store.FindByNameAsync("ALICE", Ct));
        Assert.Equal(added, Assert.Single(await Store.ListAsync(Ct)));
        Assert.Equal(("alice", PrincipalRole.Operator, "hash-of-alice", 0, (DateTimeOffset?)null, s_now), (added.Name, added.Role, added.PasswordHash, added.FailedSignIns, added.LockedUntil, added.CreatedAt));
        Assert.Null(await Store.FindAsync(added.Id + 1000, Ct));
        Assert.Null(await Store.FindByNameAsync("nobody", Ct));
    }

    [Fact]
    public async Task Add_NameTakenInAnyCase_GivesNullAndStoresNothing()
    {
        await Store.AddAsync(Account("bob", PrincipalRole.Viewer), Ct);

        Assert.Null(await Store.AddAsync(Account("BOB", PrincipalRole.Admin), Ct));
        Assert.Equal(PrincipalRole.Viewer, Assert.Single(await Store.ListAsync(Ct)).Role);
    }

    [Fact]
    public async Task Add_ConcurrentlyUnderOneName_ExactlyOneAccount()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.AddAsync(Account(i % 2 == 0 ? "carol" : "Carol", PrincipalRole.Viewer), Ct), Ct)));

        Assert.Single(results, r => r is not null);
        Assert.Single(await Store.ListAsync(Ct));
    }

    [Fact]
    public async Task Add_AgentRole_Refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AddAsync(Account("robot", PrincipalRole.Agent), Ct));
        Assert.Empty(await Store.ListAsync(Ct));
    }

    [Fact]
    public async Task List_ById()
    {
        var first = await Store.AddAsync(Account("zed", PrincipalRole.Admin), Ct);
        var second = await Store.AddAsync(Account("amy", PrincipalRole.Viewer), Ct);

        Assert.Equal([first!.Id, second!.Id], (await Store.ListAsync(Ct)).Select(a => a.Id));
        Assert.True(second.Id > first.Id);
    }

    [Fact]
    public async Task RecordSignIn_StoresFailuresAndLockout_AndClearsThem()
    {
        var added = await Store.AddAsync(Account("dave", PrincipalRole.Viewer), Ct);

        await Store.RecordSignInAsync(added!.Id, 3, s_now.AddMinutes(15), Ct);
        var locked = await Store.FindAsync(added.Id, Ct);
        await Store.RecordSignInAsync(added.Id, 0, null, Ct);
        var cleared = await Store.FindAsync(added.Id, Ct);

        Assert.Equal((3, (DateTimeOffset?)s_now.AddMinutes(15)), (locked!.FailedSignIns, locked.LockedUntil));
        Assert.Equal((0, (DateTimeOffset?)null), (cleared!.FailedSignIns, cleared.LockedUntil));
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatAccount_AndFreesItsName()
    {
        var erin = await Store.AddAsync(Account("erin", PrincipalRole.Viewer), Ct);
        var frank = await Store.AddAsync(Account("frank", PrincipalRole.Viewer), Ct);

        Assert.True(await Store.DeleteAsync(erin!.Id, Ct));
        Assert.False(await Store.DeleteAsync(erin.Id, Ct));
        Assert.Equal([frank!.Id], (await Store.ListAsync(Ct)).Select(a => a.Id));
        Assert.NotNull(await Store.AddAsync(Account("erin", PrincipalRole.Operator), Ct));
    }

    private static UserAccount Account(string name, PrincipalRole role) => new()
    {
        Name = name,
        Role = role,
        PasswordHash = "hash-of-" + name,
        CreatedAt = s_now,
    };
}
