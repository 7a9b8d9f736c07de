using Helix.Core.Audit;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteChangeHistoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendAsync_LinksEachEntryToTheOneBefore_AndReadsBackNewestFirst()
    {
        await using var test = await TestDatabase.CreateAsync();
        var history = new SqliteChangeHistory(test.Database);

        var first = await history.AppendAsync(Change("route.update", "chat", before: """{"primaryModel":"a"}""", after: """{"primaryModel":"b"}"""), Ct);
        test.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await history.AppendAsync(Change("toggle.set", "kill-chat", before: null, after: """{"enabled":false}"""), Ct);
        var page = await history.ListAsync(10, cancellationToken: Ct);

        Assert.Equal(1, first.Id);
        Assert.Equal(ChangeChain.Genesis, first.PreviousHash);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal([2L, 1L], page.Select(e => e.Id));
        Assert.Equal(second, page[0]);
        Assert.Equal(first, page[1]);
        Assert.Equal([first], await history.ListAsync(10, target: "chat", cancellationToken: Ct));
        Assert.Equal([first], await history.ListAsync(10, beforeId: 2, cancellationToken: Ct));
        Assert.True((await history.VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task ConcurrentAppends_FormOneChainWithoutGaps()
    {
        await using var test = await TestDatabase.CreateAsync();
        var history = new SqliteChangeHistory(test.Database);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => history.AppendAsync(Change("budget.put", $"b{i}", null, "{}"), Ct)));
        var verification = await history.VerifyAsync(Ct);

        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(40, verification.Entries);
    }

    [Fact]
    public async Task UpdateAndDelete_AreRefusedByTheDatabase()
    {
        await using var test = await TestDatabase.CreateAsync();
        var history = new SqliteChangeHistory(test.Database);
        await history.AppendAsync(Change("route.update", "chat", null, "{}"), Ct);
        await using var connection = await test.Database.OpenConnectionAsync(Ct);

        Assert.Throws<SqliteException>(() => connection.Execute("UPDATE change_history SET actor_name = 'someone else'"));
        Assert.Throws<SqliteException>(() => connection.Execute("DELETE FROM change_history"));
    }

    [Fact]
    public async Task VerifyAsync_NamesTheFirstEntryEditedBehindTheStoresBack()
    {
        await using var test = await TestDatabase.CreateAsync();
        var history = new SqliteChangeHistory(test.Database);
        for (var i = 0; i < 5; i++)
        {
            await history.AppendAsync(Change("route.update", "chat", $$"""{"v":{{i}}}""", $$"""{"v":{{i + 1}}}"""), Ct);
        }

        await using (var connection = await test.Database.OpenConnectionAsync(Ct))
        {
            connection.Execute("DROP TRIGGER change_history_no_update");
            connection.Execute("""UPDATE change_history SET after_json = '{"v":99}' WHERE id = 3""");
        }

        var verification = await history.VerifyAsync(Ct);

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBrokenId);
        Assert.Contains("changed after it was written", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_NamesAGapWhereAnEntryWasDeleted()
    {
        await using var test = await TestDatabase.CreateAsync();
        var history = new SqliteChangeHistory(test.Database);
        for (var i = 0; i < 3; i++)
        {
            await history.AppendAsync(Change("key.create", $"k{i}", null, "{}"), Ct);
        }

        await using (var connection = await test.Database.OpenConnectionAsync(Ct))
        {
            connection.Execute("DROP TRIGGER change_history_no_delete");
            connection.Execute("DELETE FROM change_history WHERE id = 2");
        }

        var verification = await history.VerifyAsync(Ct);

        Assert.Equal(3, verification.FirstBrokenId);
        Assert.Contains("entry 2 is missing", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_Query_FiltersByTargetActionAndActorIdOrName_NewestFirstBeforeTheCursor()
    {
        await using var test = await TestDatabase.CreateAsync();
        var history = new SqliteChangeHistory(test.Database);
        await history.AppendAsync(Change("route.update", "chat", null, "{}"), Ct);
        await history.AppendAsync(new ChangeRecord("key_2", "night-operator", "route.update", "chat", null, "{}"), Ct);
        await history.AppendAsync(Change("budget.put", "3", null, "{}"), Ct);
        await history.AppendAsync(Change("route.update", "agent", null, "{}"), Ct);

        var updates = await history.ListAsync(new ChangeQuery(10, Action: "route.update"), Ct);
        var chatByName = await history.ListAsync(new ChangeQuery(10, Target: "chat", Actor: "night-operator"), Ct);
        var byId = await history.ListAsync(new ChangeQuery(10, Actor: "key_1"), Ct);
        var olderUpdates = await history.ListAsync(new ChangeQuery(1, BeforeId: 4, Action: "route.update"), Ct);

        Assert.Equal([4L, 2L, 1L], updates.Select(e => e.Id));
        Assert.Equal([2L], chatByName.Select(e => e.Id));
        Assert.Equal([4L, 3L, 1L], byId.Select(e => e.Id));
        Assert.Equal([2L], olderUpdates.Select(e => e.Id));
    }

    private static ChangeRecord Change(string action, string target, string? before, string? after) =>
        new("key_1", "ops-lead", action, target, before, after);
}
