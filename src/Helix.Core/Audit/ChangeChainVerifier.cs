namespace Helix.Core.Audit;

/// <summary>Checks a change history entry by entry, oldest first, so a store can feed it in batches of any size.</summary>
public sealed class ChangeChainVerifier
{
    private string _previous = ChangeChain.Genesis;
    private long _expectedId = 1;
    private long _count;
    private ChainVerification? _broken;

    /// <summary>The verdict so far: intact over what was added, or the first broken entry.</summary>
    public ChainVerification Result => _broken ?? new ChainVerification(_count, null, null);

    /// <summary>Checks the next entry; <see langword="false"/> once the chain is broken (later entries are not looked at).</summary>
    public bool Add(ChangeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_broken is not null)
        {
            return false;
        }

        _count++;
        string? reason = null;
        if (entry.Id != _expectedId)
        {
            reason = $"entry {_expectedId} is missing: the next entry is {entry.Id}";
        }
        else if (!string.Equals(entry.PreviousHash, _previous, StringComparison.Ordinal))
        {
            reason = "its previous hash is not the hash of the entry before it";
        }
        else if (!string.Equals(ChangeChain.HashOf(entry.Id, entry.At, entry.Change, entry.PreviousHash), entry.Hash, StringComparison.Ordinal))
        {
            reason = "its content does not match its hash: it was changed after it was written";
        }

        if (reason is not null)
        {
            _broken = new ChainVerification(_count, entry.Id, reason);
            return false;
        }

        _previous = entry.Hash;
        _expectedId++;
        return true;
    }
}
