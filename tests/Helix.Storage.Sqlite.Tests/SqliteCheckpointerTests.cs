using Helix.Testing;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

/// <summary>The write-ahead log is checkpointed in the background, never inside the commit a call waits for.</summary>
public sealed class SqliteCheckpointerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writer_DoesNotCheckpointInItsCommits()
    {
        await using var test = await TestDatabase.CreateAsync();

        var autoCheckpoint = await test.Database.WriteAsync(static async (writer, ct) =>
        {
            using var command = writer.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint;";
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }, Ct);

        Assert.Equal(0, autoCheckpoint);
        Assert.NotNull(test.Database.Checkpointer);
    }

    [Fact]
    public async Task Tick_CopiesTheLogIntoTheDatabaseFile_AndTheRowsStayReadable()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);
        for (var i = 0; i < 50; i++)
        {
            await log.AppendAsync([TestEntries.Success($"req-{i}")], Ct);
        }

        // Everything so far (the schema too) is in the log: the database file has not been written.
        var before = new FileInfo(test.FilePath).Length;
        Assert.Equal(0, test.Database.Checkpointer!.Checkpoints);

        test.Time.Advance(SqliteCheckpointer.Interval);
        await WaitForAsync(() => test.Database.Checkpointer.Checkpoints >= 1);

        Assert.True(new FileInfo(test.FilePath).Length > before + 64 * 1024, $"the database file grew from {before} bytes only to {new FileInfo(test.FilePath).Length}");
        Assert.Equal(0, test.Database.Checkpointer.Rewinds);
        var page = await log.QueryAsync(new Core.OperationLog.LogQuery(Limit: 100), Ct);
        Assert.Equal(50, page.Items.Count);
    }

    [Fact]
    public async Task Tick_LogPastTheRewindSize_CheckpointsUnderTheWritersGate()
    {
        await using var test = await TestDatabase.CreateAsync(configure: database => database.CheckpointRewindFrames = 1);
        using var log = new SqliteOperationLogStore(test.Database);
        await log.AppendAsync([TestEntries.Success("req-0")], Ct);

        test.Time.Advance(SqliteCheckpointer.Interval);
        await WaitForAsync(() => test.Database.Checkpointer!.Checkpoints >= 1);

        Assert.Equal(1, test.Database.Checkpointer!.Rewinds);
        await log.AppendAsync([TestEntries.Success("req-1")], Ct);
        var page = await log.QueryAsync(new Core.OperationLog.LogQuery(Limit: 10), Ct);
        Assert.Equal(2, page.Items.Count);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition(), "The background checkpoint did not run within 5 s.");
    }
}
