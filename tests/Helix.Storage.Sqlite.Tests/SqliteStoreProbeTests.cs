using System.Diagnostics;
using Helix.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

/// <summary><see cref="SqliteOperationLogStore.ProbeWriteAsync"/>: a write that leaves no trace, and fails on a database that takes no writes.</summary>
public sealed class SqliteStoreProbeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProbeWriteAsync_WritableDatabase_LeavesNoTrace()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);
        await log.AppendAsync([TestEntries.Success("r1")], Ct);

        await log.ProbeWriteAsync(Ct);
        await log.ProbeWriteAsync(Ct);

        using var reader = test.OpenIndependentReader();
        Assert.Equal(0L, reader.Count("open_attempts"));
        Assert.Equal(1L, reader.Count("operation_log"));
        Assert.Equal(0, await log.RecoverOpenAttemptsAsync(DateTimeOffset.MaxValue, Ct));
    }

    [Fact]
    public async Task ProbeWriteAsync_DatabaseOnAReadOnlyFileSystem_Throws()
    {
        var mount = Path.Combine(Path.GetTempPath(), "helix-ro-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mount);
        var (mounted, why) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount);
        if (!mounted)
        {
            Directory.Delete(mount);
            Assert.Skip($"A tmpfs could not be mounted (it needs root and CAP_SYS_ADMIN): {why}");
        }

        try
        {
            var connectionString = $"Data Source={Path.Combine(mount, "helix.db")}";
            await using (var database = new SqliteDatabase(connectionString))
            {
                await database.InitializeAsync(Ct);
            }

            SqliteConnection.ClearAllPools();
            var (remounted, error) = await RunAsync("mount", "-o", "remount,ro", mount);
            Assert.True(remounted, error);

            await using var readOnly = new SqliteDatabase(connectionString);
            using var log = new SqliteOperationLogStore(readOnly);

            await Assert.ThrowsAsync<SqliteException>(() => log.ProbeWriteAsync(Ct));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await RunAsync("umount", "-l", mount);
            Directory.Delete(mount, recursive: true);
        }
    }

    private static async Task<(bool Ok, string Output)> RunAsync(string file, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = await process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            return (process.ExitCode == 0, error.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (false, ex.Message);
        }
    }
}
