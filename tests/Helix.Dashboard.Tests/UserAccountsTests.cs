using Helix.Core.Accounts;
using Helix.Core.Audit;
using Helix.Core.Principals;
using Helix.Dashboard.Accounts;
using Helix.Storage.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Dashboard.Tests;

public sealed class UserAccountsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helix-accounts-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = default!;
    private UserAccounts _accounts = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _database = new SqliteDatabase($"Data Source={Path.Combine(_directory, "helix.db")}", _time);
        await _database.InitializeAsync(Ct);
        _accounts = new UserAccounts(new SqliteUserStore(_database), new SqliteChangeHistory(_database), _time,
            Options.Create(new DashboardOptions { MaxFailedSignIns = 3, Lockout = TimeSpan.FromMinutes(15) }));
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task SignInAsync_RightPassword_GivesTheUsersPrincipalAndTheHashIsNotThePassword()
    {
        var created = await _accounts.CreateAsync("alice", PrincipalRole.Operator, "alices-long-password", DashboardAdminSeeder.Configuration, Ct);

        var outcome = await _accounts.SignInAsync("ALICE", "alices-long-password", Ct);

        Assert.Equal(new Principal($"user:{created!.Id}", "alice", PrincipalRole.Operator), outcome.Principal);
        Assert.DoesNotContain("alices-long-password", created.PasswordHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInAsync_RepeatedFailures_LockTheAccountUntilTheLockoutEnds()
    {
        await _accounts.CreateAsync("bob", PrincipalRole.Viewer, "bobs-long-password", DashboardAdminSeeder.Configuration, Ct);

        Assert.Equal("Wrong name or password.", (await _accounts.SignInAsync("bob", "wrong", Ct)).Error);
        Assert.Equal("Wrong name or password.", (await _accounts.SignInAsync("bob", "wrong", Ct)).Error);
        Assert.StartsWith("Too many failed sign-ins", (await _accounts.SignInAsync("bob", "wrong", Ct)).Error, StringComparison.Ordinal);
        var whileLocked = await _accounts.SignInAsync("bob", "bobs-long-password", Ct);
        _time.Advance(TimeSpan.FromMinutes(16));
        var afterwards = await _accounts.SignInAsync("bob", "bobs-long-password", Ct);

        Assert.False(whileLocked.Succeeded);
        Assert.StartsWith("Too many failed sign-ins", whileLocked.Error, StringComparison.Ordinal);
        Assert.True(afterwards.Succeeded);
        Assert.Equal("Wrong name or password.", (await _accounts.SignInAsync("nobody", "whatever-password", Ct)).Error);
    }

    [Fact]
    public async Task CreateAndDelete_AreRecordedInTheChangeHistoryWithoutThePassword()
    {
        var actor = new Principal("user:9", "root", PrincipalRole.Admin);
        var created = await _accounts.CreateAsync("carol", PrincipalRole.Admin, "carols-long-password", actor, Ct);
        Assert.Null(await _accounts.CreateAsync("Carol", PrincipalRole.Viewer, "carols-long-password", actor, Ct));
        Assert.True(await _accounts.DeleteAsync(created!.Id, actor, Ct));

        var history = await new SqliteChangeHistory(_database).ListAsync(10, cancellationToken: Ct);

        Assert.Equal(["user.delete", "user.create"], history.Select(e => e.Change.Action));
        Assert.All(history, e => Assert.Equal(("user:9", "root"), (e.Change.ActorId, e.Change.ActorName)));
        Assert.All(history, e => Assert.DoesNotContain("carols-long-password", (e.Change.Before ?? "") + e.Change.After, StringComparison.Ordinal));
        Assert.True((await new SqliteChangeHistory(_database).VerifyAsync(Ct)).IsIntact);
    }
}
