namespace Helix.Core.Audit;

/// <summary>The result of checking a hash chain from its first entry (or, after retention, its oldest kept one).</summary>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="FirstBrokenId">The first entry whose hash or link does not hold, or <see langword="null"/> when the chain is intact.</param>
/// <param name="Reason">Why that entry breaks the chain, or <see langword="null"/>.</param>
public sealed record ChainVerification(long Entries, long? FirstBrokenId, string? Reason)
{
    /// <summary>Whether every entry holds.</summary>
    public bool IsIntact => FirstBrokenId is null;

    /// <summary>
    /// The oldest kept entry when retention removed the ones before it: the check starts there, trusting its link to
    /// the removed entry before it; <see langword="null"/> when the chain was checked from its first entry.
    /// </summary>
    public long? RetainedFromId { get; init; }
}
