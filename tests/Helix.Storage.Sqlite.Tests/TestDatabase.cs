using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

/// <summary>A SQLite database file in its own temporary directory, deleted when disposed.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string directory, FakeTimeProvider time)
    {
        Directory = directory;
        FilePath = Path.Combine(directory, "helix.db");
        ConnectionString = $"Data Source={FilePath}";
        Time = time;
        Database = new SqliteDatabase(ConnectionString, time);
    }

    public string Directory { get; }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public FakeTimeProvider Time { get; }

    public SqliteDatabase Database { get; }

    /// <summary>A new database, migrated unless <paramref name="migrate"/> is false.</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true, Action<SqliteDatabase>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "helix-sqlite-tests", Guid.NewGuid().ToString("N"));
        var database = new TestDatabase(directory, new FakeTimeProvider(new DateTimeOffset(2026, 7, 24, 12, 0, 0, TimeSpan.Zero)));
        configure?.Invoke(database.Database);
        if (migrate)
        {
            await database.Database.InitializeAsync(TestContext.Current.CancellationToken);
        }

        return database;
    }

    /// <summary>Opens a connection that shares nothing with <see cref="Database"/>: no pool, no writer, read-only.</summary>
    public SqliteConnection OpenIndependentReader(string? filePath = null)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = filePath ?? FilePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        using (var connection = new SqliteConnection(Database.ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless; failing the test for it would not be.
        }
    }
}
