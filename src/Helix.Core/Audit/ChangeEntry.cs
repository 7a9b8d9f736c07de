namespace Helix.Core.Audit;

/// <summary>A change as the history holds it: the record, its place and time, and the chain's hashes.</summary>
/// <param name="Id">The entry's position in the history, from 1, without gaps.</param>
/// <param name="At">When the change was appended.</param>
/// <param name="Change">The change.</param>
/// <param name="PreviousHash">The previous entry's <paramref name="Hash"/>, or <see cref="ChangeChain.Genesis"/> for the first.</param>
/// <param name="Hash">SHA-256 of this entry and <paramref name="PreviousHash"/>, lowercase hex (<see cref="ChangeChain.HashOf"/>).</param>
public sealed record ChangeEntry(long Id, DateTimeOffset At, ChangeRecord Change, string PreviousHash, string Hash);
