namespace Helix.Core.Audit;

/// <summary>The append-only, hash-chained history of admin changes: routes, toggles, budgets, keys, approvals, prices, notifiers.</summary>
/// <remarks>Implementations append one entry at a time, each linked to the one before (<see cref="ChangeChain"/>), and never update or delete.</remarks>
public interface IChangeHistory
{
    /// <summary>Appends <paramref name="change"/> at the store's clock and returns the entry, its hash computed.</summary>
    Task<ChangeEntry> AppendAsync(ChangeRecord change, CancellationToken cancellationToken = default);

    /// <summary>A page of the history, newest first, with ids below <paramref name="beforeId"/> when given.</summary>
    /// <param name="limit">At most this many entries.</param>
    /// <param name="beforeId">Only entries older than this id, or <see langword="null"/> for the newest.</param>
    /// <param name="target">Only entries about this target, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">The token.</param>
    Task<IReadOnlyList<ChangeEntry>> ListAsync(int limit, long? beforeId = null, string? target = null, CancellationToken cancellationToken = default);

    /// <summary>A page of the history, newest first, filtered by target, action and actor.</summary>
    /// <remarks>
    /// The default pages through <see cref="ListAsync(int, long?, string?, CancellationToken)"/> and filters action and
    /// actor in memory; stores override it to filter in their query.
    /// </remarks>
    async Task<IReadOnlyList<ChangeEntry>> ListAsync(ChangeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        var found = new List<ChangeEntry>(Math.Min(query.Limit, 256));
        var before = query.BeforeId;
        var pageSize = Math.Max(query.Limit, 200);
        while (found.Count < query.Limit)
        {
            var page = await ListAsync(pageSize, before, query.Target, cancellationToken);
            foreach (var entry in page)
            {
                if ((query.Action is null || string.Equals(entry.Change.Action, query.Action, StringComparison.Ordinal))
                    && (query.Actor is null || string.Equals(entry.Change.ActorId, query.Actor, StringComparison.Ordinal) || string.Equals(entry.Change.ActorName, query.Actor, StringComparison.Ordinal))
                    && found.Count < query.Limit)
                {
                    found.Add(entry);
                }
            }

            if (page.Count < pageSize)
            {
                break;
            }

            before = page[^1].Id;
        }

        return found;
    }

    /// <summary>Checks the whole chain from its first entry and names the first broken entry.</summary>
    Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default);
}
