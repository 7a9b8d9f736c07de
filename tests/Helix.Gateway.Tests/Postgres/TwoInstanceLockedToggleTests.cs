using Helix.Gateway.Tests.Durability;
using Helix.Storage.Postgres;
using Xunit;

namespace Helix.Gateway.Tests.Postgres;

/// <summary>A toggles row in the shared database that contradicts a locked toggle stops every instance from starting.</summary>
public sealed class TwoInstanceLockedToggleTests
{
    [Fact]
    public async Task RowContradictingALockedToggle_NeitherInstanceStarts()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await using (var migrate = new PostgresDatabase(database.ConnectionString))
        {
            await migrate.InitializeAsync(cancellationToken);
        }

        await database.ScalarAsync("""
            INSERT INTO toggles (name, enabled, scope, subject, description, owner, updated_at, updated_by)
            VALUES ('agents-cannot-approve', false, 'global', NULL, NULL, NULL, now(), 'dba')
            """);
        var directory = Directory.CreateTempSubdirectory("helix-two-locked-");
        try
        {
            var starts = new[] { "gateway-a", "gateway-b" }.Select(async id =>
            {
                var home = Directory.CreateDirectory(Path.Combine(directory.FullName, id)).FullName;
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
                {
                    await using var gateway = await GatewayProcess.StartAsync(home, "two-locked-admin-key-0123456789", new Dictionary<string, string>
                    {
                        ["Helix__Storage__Provider"] = "postgres",
                        ["Helix__Storage__ConnectionString"] = database.ConnectionString,
                        ["Helix__Storage__InstanceId"] = id,
                    }, cancellationToken);
                });
                return refused.Message;
            });

            var messages = await Task.WhenAll(starts);

            Assert.All(messages, m => Assert.Contains("exited with code 1", m, StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
