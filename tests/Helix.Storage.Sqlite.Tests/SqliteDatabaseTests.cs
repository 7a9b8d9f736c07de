using Helix.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteDatabaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=helix;Mode=Memory")]
    [InlineData("Data Source=file:helix?mode=memory")]
    public void Constructor_PrivateInMemoryDatabase_Throws(string connectionString)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SqliteDatabase(connectionString));

        Assert.Contains("cache=shared", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoDataSource_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SqliteDatabase("Cache=Shared"));
    }

    [Fact]
    public void Constructor_FileDatabase_OpensReadWriteCreate()
    {
        using var database = new SqliteDatabase("Data Source=some/dir/helix.db;Mode=ReadOnly");

        Assert.Equal(SqliteOpenMode.ReadWriteCreate, new SqliteConnectionStringBuilder(database.ConnectionString).Mode);
        Assert.False(database.IsInMemory);
        Assert.Equal("some/dir/helix.db", database.DataSource);
    }

    [Fact]
    public async Task InitializeAsync_DirectoryMissing_CreatesItAndTheFile()
    {
        await using var test = await TestDatabase.CreateAsync(migrate: false);
        Assert.False(Directory.Exists(test.Directory));

        await test.Database.InitializeAsync(Ct);

        Assert.True(File.Exists(test.FilePath));
    }

    [Fact]
    public async Task OpenConnectionAsync_FileDatabase_HasTheDurabilitySettings()
    {
        await using var test = await TestDatabase.CreateAsync();

        await using var connection = await test.Database.OpenConnectionAsync(Ct);

        Assert.Equal("wal", connection.Scalar("PRAGMA journal_mode"));
        Assert.Equal(1L, connection.Scalar("PRAGMA synchronous"));
        Assert.Equal(5000L, connection.Scalar("PRAGMA busy_timeout"));
        Assert.Equal(1L, connection.Scalar("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task InMemoryShared_ReaderConnectionsCloseBetweenCalls_DataSurvives()
    {
        await using var database = new SqliteDatabase($"Data Source=file:survives-{Guid.NewGuid():N}?mode=memory&cache=shared");
        await database.InitializeAsync(Ct);
        var log = new SqliteOperationLogStore(database);

        await log.AppendAsync([TestEntries.Success("a")], Ct);
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await database.OpenConnectionAsync(Ct);
        }

        Assert.True(database.IsInMemory);
        Assert.Single((await log.QueryAsync(new(), Ct)).Items);
    }

    [Fact]
    public async Task InMemoryShared_TwoNames_AreSeparateDatabases()
    {
        await using var first = new SqliteDatabase($"Data Source=file:first-{Guid.NewGuid():N}?mode=memory&cache=shared");
        await using var second = new SqliteDatabase($"Data Source=second-{Guid.NewGuid():N};Mode=Memory;Cache=Shared");
        await first.InitializeAsync(Ct);
        await second.InitializeAsync(Ct);

        await new SqliteOperationLogStore(first).AppendAsync([TestEntries.Success("a")], Ct);

        Assert.Empty((await new SqliteOperationLogStore(second).QueryAsync(new(), Ct)).Items);
    }

    [Fact]
    public async Task DisposeAsync_ThenUsed_ThrowsObjectDisposed()
    {
        var test = await TestDatabase.CreateAsync();
        var log = new SqliteOperationLogStore(test.Database);
        await test.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.AppendAsync([TestEntries.Success("a")], Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.QueryAsync(new(), Ct));
    }
}
