using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteOperationLogChainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendAsync_LinksEveryRowToTheOneBefore_AcrossBatches()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);

        await log.AppendAsync([TestEntries.Success("r1"), TestEntries.Failure("r2")], Ct);
        await log.AppendAsync([TestEntries.Success("r3", user: "u1")], Ct);
        var verification = await log.VerifyAsync(Ct);

        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(3, verification.Entries);
        using var reader = test.OpenIndependentReader();
        var rows = reader.Rows("SELECT id, previous_hash, hash FROM operation_log ORDER BY id");
        Assert.Equal([1L, 2L, 3L], rows.Select(r => (long)r[0]!));
        Assert.Equal(OperationLogChain.Genesis, rows[0][1]);
        Assert.Equal(rows[0][2], rows[1][1]);
        Assert.Equal(rows[1][2], rows[2][1]);
        var stored = (await log.QueryAsync(new LogQuery(), Ct)).Items.Single(e => e.Id == 3);
        Assert.Equal(OperationLogChain.HashOf(3, stored, (string)rows[1][2]!), rows[2][2]);
    }

    [Fact]
    public async Task VerifyAsync_NamesAGapWhereARowWasDeleted_EvenTheLastOnceTheNextIsWritten()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);
        await log.AppendAsync([.. Enumerable.Range(1, 4).Select(i => TestEntries.Success($"r{i}"))], Ct);

        await using (var connection = await test.Database.OpenConnectionAsync(Ct))
        {
            connection.Execute("DROP TRIGGER operation_log_no_delete");
            connection.Execute("DELETE FROM operation_log WHERE id IN (2, 4)");
        }

        var middle = await log.VerifyAsync(Ct);
        await log.AppendAsync([TestEntries.Success("r5")], Ct);

        Assert.Equal(3, middle.FirstBrokenId);
        Assert.Contains("row 2 is missing", middle.Reason, StringComparison.Ordinal);
        using var reader = test.OpenIndependentReader();
        Assert.Equal(5L, reader.Scalar("SELECT max(id) FROM operation_log"));
    }

    [Fact]
    public async Task RowsWrittenBeforeTheChain_AreChainedAtTheFirstWrite_AndRecoveredAttemptsJoinTheChain()
    {
        await using var test = await TestDatabase.CreateAsync();
        using (var log = new SqliteOperationLogStore(test.Database))
        {
            await log.AppendAsync([TestEntries.Success("r1"), TestEntries.Success("r2")], Ct);
        }

        // Rows as a build before migration 0012 left them: no hashes.
        await using (var connection = await test.Database.OpenConnectionAsync(Ct))
        {
            connection.Execute("DROP TRIGGER operation_log_no_update");
            connection.Execute("UPDATE operation_log SET previous_hash = NULL, hash = NULL");
        }

        using var restarted = new SqliteOperationLogStore(test.Database);
        var before = await restarted.VerifyAsync(Ct);
        await restarted.RecoverOpenAttemptsAsync(TestEntries.Epoch, Ct);
        await restarted.AppendAsync([TestEntries.Success("r3")], Ct);
        var after = await restarted.VerifyAsync(Ct);

        Assert.Equal(1, before.FirstBrokenId);
        Assert.True(after.IsIntact, after.Reason);
        Assert.Equal(3, after.Entries);
    }
}
