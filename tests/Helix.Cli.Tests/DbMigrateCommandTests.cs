using Npgsql;
using Xunit;

namespace Helix.Cli.Tests;

public sealed class DbMigrateCommandTests
{
    [Fact]
    public async Task DbMigrate_NoConnection_IsAUsageError()
    {
        var run = await CliRun.RunAsync(["db", "migrate"]);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--connection is required", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DbMigrate_UnreachableServer_FailsNamingTheDatabase()
    {
        var run = await CliRun.RunAsync(["db", "migrate", "--connection", "Host=127.0.0.1;Port=1;Username=helix;Database=helix;Timeout=2"]);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Migrating 127.0.0.1:1/helix failed", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DbMigrate_NewDatabase_AppliesEveryScriptThenNothing()
    {
        var server = Environment.GetEnvironmentVariable("HELIX_TEST_POSTGRES");
        if (string.IsNullOrEmpty(server))
        {
            Assert.Skip("PostgreSQL tests need HELIX_TEST_POSTGRES (a server connection string); ./test.sh starts a private server and sets it.");
        }

        var name = "helix_cli_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE DATABASE {name} TEMPLATE template0");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;

            var first = await CliRun.RunAsync(["db", "migrate"], environment: new Dictionary<string, string> { ["HELIX_DB_CONNECTION"] = connection });
            var second = await CliRun.RunAsync(["db", "migrate", "--connection", connection]);

            Assert.Equal(ExitCodes.Success, first.ExitCode);
            Assert.Contains("Applied ", first.Stdout, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Success, second.ExitCode);
            Assert.Contains("is up to date", second.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
