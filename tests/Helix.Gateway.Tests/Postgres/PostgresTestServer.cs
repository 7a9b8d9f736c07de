using Npgsql;
using Xunit;

namespace Helix.Gateway.Tests.Postgres;

/// <summary>An empty PostgreSQL database on the test server named by <c>HELIX_TEST_POSTGRES</c>, dropped when disposed.</summary>
internal sealed class PostgresTestServer : IAsyncDisposable
{
    private const string Variable = "HELIX_TEST_POSTGRES";

    private readonly string _server;

    private PostgresTestServer(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>A new empty database; skips the test when no server is configured.</summary>
    public static async Task<PostgresTestServer> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(server))
        {
            Assert.Skip($"PostgreSQL tests need {Variable} (a server connection string); ./test.sh starts a private server and sets it.");
        }

        var test = new PostgresTestServer(server, "helix_gw_" + Guid.NewGuid().ToString("N")[..16]);
        await ExecuteAsync(server, $"CREATE DATABASE {test.Name} TEMPLATE template0");
        return test;
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
