using Helix.Core.Principals;
using Helix.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Helix.Storage.Postgres.Tests;

/// <summary>A change saved through one instance reaches another within a second (LISTEN/NOTIFY).</summary>
public sealed class PostgresChangeListenerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RouteSavedThroughOneInstance_OtherInstanceServesItWithinASecond()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var other = test.Open("other");
        using var table = new RouteTable(new PostgresRouteStore(other), TimeProvider.System);
        await table.ReloadAsync(Ct);
        await using var services = new ServiceCollection().AddSingleton(table).BuildServiceProvider();
        using var listener = new PostgresChangeListener(other, services, NullLogger<PostgresChangeListener>.Instance);
        await listener.StartAsync(Ct);
        try
        {
            await WaitForListenAsync(test);
            var routes = new PostgresRouteStore(test.Database);
            var chat = Assert.Single(await routes.GetRoutesAsync(Ct), r => r.Operation == "chat");

            Assert.True(await routes.SaveRouteAsync(chat with { Version = 2, PrimaryModel = "gemini/gemini-2.5-flash", FallbackModels = [] }, Ct));

            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(1) && !(table.Current.TryGetRoute("chat", out var route) && route.Targets[0].Id == "gemini/gemini-2.5-flash"))
            {
                await Task.Delay(10, Ct);
            }

            Assert.True(table.Current.TryGetRoute("chat", out var served));
            Assert.Equal("gemini/gemini-2.5-flash", served.Targets[0].Id);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task KeyRevokedThroughOneInstance_OtherInstanceRefusesItWithinASecond()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var secret = ApiKeySecrets.Generate(PrincipalRole.App);
        var keys = new PostgresKeyStore(test.Database);
        await keys.CreateAsync(new ApiKeyRecord("key_app", "app", PrincipalRole.App, null, null, secret.Hash, test.Time.GetUtcNow(), "admin"), Ct);
        var directory = new KeyDirectory(new PostgresKeyStore(test.Open("other")), TimeProvider.System);
        await directory.ReloadAsync(Ct);
        await using var services = new ServiceCollection().AddSingleton(directory).BuildServiceProvider();
        using var listener = new PostgresChangeListener(test.Open("other-listener"), services, NullLogger<PostgresChangeListener>.Instance);
        await listener.StartAsync(Ct);
        try
        {
            await WaitForListenAsync(test);
            Assert.True(directory.TryResolve(secret.Secret, out _));

            Assert.NotNull(await keys.RevokeAsync("key_app", test.Time.GetUtcNow(), Ct));

            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(1) && directory.TryResolve(secret.Secret, out _))
            {
                await Task.Delay(10, Ct);
            }

            Assert.False(directory.TryResolve(secret.Secret, out _));
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForListenAsync(PostgresTestDatabase test)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((long)(await test.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN {PostgresChangeChannel.Name}%'"))! > 0)
            {
                return;
            }

            await Task.Delay(10, Ct);
        }
    }
}
