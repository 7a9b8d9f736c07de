using Helix.Core.OperationLog;
using Helix.Testing;
using Npgsql;
using Xunit;

namespace Helix.Storage.Postgres.Tests;

/// <summary>What the PostgreSQL chain does beyond the shared suite: rows written before migration 0012, the tip as the database holds it, and retention.</summary>
public sealed class PostgresOperationLogChainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RowsWrittenBeforeTheChain_AreChainedByTheFirstBatch_AndNewRowsFollowThem()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await new PostgresOperationLogStore(test.Database).AppendAsync([TestEntries.Success("r1"), TestEntries.Success("r2")], Ct);

        // Rows as a build before migration 0012 left them: no hashes, and a chain still to be made.
        await ExecuteAsync(test, """
            SET session_replication_role = replica;
            UPDATE operation_log SET previous_hash = NULL, hash = NULL;
            UPDATE operation_log_chain SET last_id = 0, last_hash = repeat('0', 64), unchained = true;
            RESET session_replication_role
            """);
        var restarted = new PostgresOperationLogStore(test.Open("restarted"));
        var before = await restarted.VerifyAsync(Ct);
        await restarted.AppendAsync([TestEntries.Success("r3")], Ct);
        var after = await restarted.VerifyAsync(Ct);

        Assert.Equal(1, before.FirstBrokenId);
        Assert.True(after.IsIntact, after.Reason);
        Assert.Equal(3, after.Entries);
        Assert.Equal(false, await test.ScalarAsync("SELECT unchained FROM operation_log_chain"));
        Assert.Equal(3L, await test.ScalarAsync("SELECT last_id FROM operation_log_chain"));
    }

    [Fact]
    public async Task Tip_IsTheLastRowsIdAndHash_AndEachRowLinksToTheOneBefore()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var log = new PostgresOperationLogStore(test.Database);

        await log.AppendAsync([TestEntries.Success("r1"), TestEntries.Failure("r2")], Ct);
        await log.AppendAsync([TestEntries.Success("r3", at: TestEntries.Epoch.AddTicks(7))], Ct);

        Assert.Equal(OperationLogChain.Genesis, await test.ScalarAsync("SELECT previous_hash FROM operation_log WHERE id = 1"));
        Assert.Equal(await test.ScalarAsync("SELECT hash FROM operation_log WHERE id = 1"), await test.ScalarAsync("SELECT previous_hash FROM operation_log WHERE id = 2"));
        Assert.Equal(await test.ScalarAsync("SELECT hash FROM operation_log WHERE id = 3"), await test.ScalarAsync("SELECT last_hash FROM operation_log_chain"));
        var stored = (await log.QueryAsync(new LogQuery(), Ct)).Items.Single(e => e.Id == 3);
        Assert.Equal(OperationLogChain.HashOf(3, stored, (string)(await test.ScalarAsync("SELECT hash FROM operation_log WHERE id = 2"))!), await test.ScalarAsync("SELECT hash FROM operation_log WHERE id = 3"));
    }

    [Fact]
    public async Task Retention_DroppingOldMonths_LeavesTheChainVerifiableFromTheOldestKeptRow()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var log = new PostgresOperationLogStore(test.Database);
        var kept = TestEntries.Epoch.AddMonths(2);
        await log.AppendAsync([TestEntries.Success("old-1"), TestEntries.Success("old-2")], Ct);
        await log.AppendAsync([TestEntries.Success("kept-3", at: kept), TestEntries.Success("kept-4", at: kept.AddMinutes(1))], Ct);
        Assert.Null((await log.VerifyAsync(Ct)).RetainedFromId);

        // What retention does: the months before the kept one are dropped whole.
        Assert.Equal(1, await test.ScalarAsync("SELECT helix_drop_log_partitions_before('2026-04-01T00:00:00Z'::timestamptz)"));
        var afterRetention = await log.VerifyAsync(Ct);
        await log.AppendAsync([TestEntries.Success("new-5", at: kept.AddMinutes(2))], Ct);
        var afterAppend = await log.VerifyAsync(Ct);

        Assert.True(afterRetention.IsIntact, afterRetention.Reason);
        Assert.Equal((2L, 3L), (afterRetention.Entries, afterRetention.RetainedFromId));
        Assert.True(afterAppend.IsIntact, afterAppend.Reason);
        Assert.Equal((3L, 3L), (afterAppend.Entries, afterAppend.RetainedFromId));
    }

    [Fact]
    public async Task Retention_ARowChangedAfterTheOldestKept_IsStillABreak()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var log = new PostgresOperationLogStore(test.Database);
        var kept = TestEntries.Epoch.AddMonths(2);
        await log.AppendAsync([TestEntries.Success("old-1")], Ct);
        await log.AppendAsync([TestEntries.Success("kept-2", at: kept), TestEntries.Success("kept-3", at: kept.AddMinutes(1))], Ct);
        await test.ScalarAsync("SELECT helix_drop_log_partitions_before('2026-04-01T00:00:00Z'::timestamptz)");

        await ExecuteAsync(test, """
            SET session_replication_role = replica;
            UPDATE operation_log SET operation = 'tampered' WHERE id = 3;
            RESET session_replication_role
            """);
        var verdict = await log.VerifyAsync(Ct);

        Assert.Equal((3L, 2L), (verdict.FirstBrokenId, verdict.RetainedFromId));
    }

    private static async Task ExecuteAsync(PostgresTestDatabase test, string sql)
    {
        await using var connection = await test.Database.OpenConnectionAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
