using Helix.Core.Audit;
using Xunit;

namespace Helix.Core.Tests.Audit;

/// <summary>The default <see cref="IChangeHistory.ListAsync(ChangeQuery, CancellationToken)"/>, for stores that filter only by target.</summary>
public sealed class ChangeHistoryQueryTests
{
    [Fact]
    public async Task DefaultListAsync_PagesThroughTheStore_FilteringActionAndActor()
    {
        // 450 entries: more than one of the default's pages, so it must follow its own cursor.
        var history = new ListHistory(Enumerable.Range(1, 450).Select(i => Entry(i, i % 3 == 0 ? "budget.put" : "route.update", i % 5 == 0 ? "ops-lead" : "admin")));
        IChangeHistory contract = history;

        var budgets = await contract.ListAsync(new ChangeQuery(4, Action: "budget.put"), TestContext.Current.CancellationToken);
        var byLead = await contract.ListAsync(new ChangeQuery(200, BeforeId: 100, Actor: "ops-lead"), TestContext.Current.CancellationToken);
        var rare = await contract.ListAsync(new ChangeQuery(10, Action: "budget.put", Actor: "lead-id"), TestContext.Current.CancellationToken);

        Assert.Equal([450L, 447L, 444L, 441L], budgets.Select(e => e.Id));
        Assert.Equal(19, byLead.Count);
        Assert.All(byLead, e => Assert.True(e.Id < 100 && e.Id % 5 == 0));
        Assert.Equal([450L, 435L, 420L, 405L, 390L, 375L, 360L, 345L, 330L, 315L], rare.Select(e => e.Id));
        Assert.True(history.Pages > 1);
    }

    private static ChangeEntry Entry(long id, string action, string actorName) =>
        new(id, DateTimeOffset.UnixEpoch.AddSeconds(id), new ChangeRecord(actorName == "ops-lead" ? "lead-id" : "admin-id", actorName, action, "t", null, "{}"), "p", "h");

    private sealed class ListHistory(IEnumerable<ChangeEntry> entries) : IChangeHistory
    {
        private readonly List<ChangeEntry> _entries = [.. entries];

        public int Pages { get; private set; }

        public Task<ChangeEntry> AppendAsync(ChangeRecord change, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("This history is read-only.");

        public Task<IReadOnlyList<ChangeEntry>> ListAsync(int limit, long? beforeId = null, string? target = null, CancellationToken cancellationToken = default)
        {
            Pages++;
            IReadOnlyList<ChangeEntry> page = [.. _entries.Where(e => (beforeId is null || e.Id < beforeId) && (target is null || e.Change.Target == target))
                .OrderByDescending(e => e.Id).Take(limit)];
            return Task.FromResult(page);
        }

        public Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default) => Task.FromResult(ChangeChain.Verify(_entries));
    }
}
