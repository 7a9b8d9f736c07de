using Helix.Core.Audit;

namespace Helix.Core.OperationLog;

/// <summary>Checks the operation log's chain row by row, oldest first, so a store can feed it in batches of any size.</summary>
/// <remarks>Not thread-safe: one verification feeds one instance.</remarks>
/// <param name="retention">
/// Whether the store removes whole old stretches of the log (PostgreSQL drops old monthly partitions; rows are never
/// deleted one by one): then the chain is checked from the oldest kept row, which may follow removed ones, and the
/// result says so (<see cref="ChainVerification.RetainedFromId"/>). A gap after that row is still a break.
/// </param>
public sealed class OperationLogChainVerifier(bool retention = false)
{
    private readonly System.Text.StringBuilder _scratch = new(512);
    private string _previous = OperationLogChain.Genesis;
    private long _expectedId = 1;
    private long _count;
    private ChainVerification? _broken;
    private long? _retainedFrom;

    /// <summary>The verdict so far: intact over what was added, or the first broken row.</summary>
    public ChainVerification Result => (_broken ?? new ChainVerification(_count, null, null)) with { RetainedFromId = _retainedFrom };

    /// <summary>Checks the next row with the hashes stored beside it; <see langword="false"/> once the chain is broken.</summary>
    /// <param name="entry">The row as stored, with its <see cref="OperationLogEntry.Id"/>.</param>
    /// <param name="previousHash">The previous hash stored in the row, or <see langword="null"/> when it has none.</param>
    /// <param name="hash">The hash stored in the row, or <see langword="null"/> when it has none.</param>
    public bool Add(OperationLogEntry entry, string? previousHash, string? hash)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_broken is not null)
        {
            return false;
        }

        if (retention && _count == 0 && entry.Id > _expectedId && previousHash is not null)
        {
            // The rows before the oldest kept one were removed by retention: its link to them is taken as stored.
            _retainedFrom = entry.Id;
            _expectedId = entry.Id;
            _previous = previousHash;
        }

        _count++;
        string? reason = null;
        if (entry.Id != _expectedId)
        {
            reason = entry.Id > _expectedId
                ? $"row {_expectedId} is missing: the next row is {entry.Id}"
                : $"row {entry.Id} comes out of order after row {_expectedId - 1}";
        }
        else if (previousHash is null || hash is null)
        {
            reason = "it has no hash: it was written or rewritten outside the store";
        }
        else if (!string.Equals(previousHash, _previous, StringComparison.Ordinal))
        {
            reason = "its previous hash is not the hash of the row before it";
        }
        else if (!string.Equals(OperationLogChain.HashOf(entry.Id, entry, previousHash, _scratch), hash, StringComparison.Ordinal))
        {
            reason = "its content does not match its hash: it was changed after it was written";
        }

        if (reason is not null)
        {
            _broken = new ChainVerification(_count, entry.Id, reason);
            return false;
        }

        _previous = hash!;
        _expectedId++;
        return true;
    }
}
