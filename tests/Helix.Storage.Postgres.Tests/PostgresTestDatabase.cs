using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit;

namespace Helix.Storage.Postgres.Tests;

/// <summary>A fresh PostgreSQL database per test, copied from a migrated template, dropped when disposed.</summary>
/// <remarks>
/// The server is the one named by <c>HELIX_TEST_POSTGRES</c> (test.sh starts a private one); without it the test is
/// skipped with that reason. The template is migrated once per set of scripts and reused, so a test pays only a
/// <c>CREATE DATABASE … TEMPLATE</c>.
/// </remarks>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    /// <summary>The variable naming the test server.</summary>
    public const string Variable = "HELIX_TEST_POSTGRES";

    private static readonly SemaphoreSlim s_templateGate = new(1, 1);
    private static string? s_template;

    private readonly List<PostgresDatabase> _opened = [];

    private PostgresTestDatabase(string name, string connectionString, FakeTimeProvider time)
    {
        Name = name;
        ConnectionString = connectionString;
        Time = time;
        Database = Open("test-instance");
    }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>The Npgsql connection string of the database.</summary>
    public string ConnectionString { get; }

    /// <summary>The clock of every <see cref="PostgresDatabase"/> opened here.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The database as one instance ("test-instance") sees it.</summary>
    public PostgresDatabase Database { get; }

    /// <summary>The server's connection string, or a skip of the current test when none is configured.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw Xunit.Sdk.SkipException.ForSkip($"PostgreSQL tests need {Variable} (a server connection string); ./test.sh starts a private server and sets it.");

    /// <summary>A new database: a copy of the migrated template, or empty when <paramref name="migrate"/> is false.</summary>
    public static async Task<PostgresTestDatabase> CreateAsync(bool migrate = true)
    {
        var server = ServerConnectionString;
        var name = "helix_test_" + Guid.NewGuid().ToString("N")[..16];
        var template = migrate ? await TemplateAsync(server) : "template0";
        await ExecuteAsync(server, $"CREATE DATABASE {name} TEMPLATE {template}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new PostgresTestDatabase(name, connectionString, new FakeTimeProvider(new DateTimeOffset(2026, 7, 24, 12, 0, 0, TimeSpan.Zero)));
    }

    /// <summary>Another view of the same database, as a second gateway instance would have it.</summary>
    public PostgresDatabase Open(string instanceId)
    {
        var database = new PostgresDatabase(ConnectionString, Time, instanceId);
        _opened.Add(database);
        return database;
    }

    /// <summary>Runs SQL on the database outside any store and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await ExecuteAsync(ServerConnectionString, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task<string> TemplateAsync(string server)
    {
        await s_templateGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (s_template is not null)
            {
                return s_template;
            }

            // Named after the scripts' content: a changed script gets a new template, an unchanged one is reused.
            var scripts = string.Concat(PostgresMigrator.Migrations.Select(PostgresMigrator.ReadScript));
            var name = "helix_template_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scripts)))[..16];
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection);
                exists.Parameters.AddWithValue(name);
                if ((long)(await exists.ExecuteScalarAsync())! == 0)
                {
                    var building = name + "_building";
                    await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {building} WITH (FORCE)");
                    await ExecuteAsync(server, $"CREATE DATABASE {building} TEMPLATE template0");
                    await using (var database = new PostgresDatabase(new NpgsqlConnectionStringBuilder(server) { Database = building, Pooling = false }.ConnectionString))
                    {
                        await database.InitializeAsync();
                    }

                    await ExecuteAsync(server, $"ALTER DATABASE {building} RENAME TO {name}");
                }
            }

            s_template = name;
            return name;
        }
        finally
        {
            s_templateGate.Release();
        }
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
