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

    /// <summary>Checks the whole chain from its first entry and names the first broken entry.</summary>
    Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default);
}
