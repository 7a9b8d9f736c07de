using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Helix.Core.Audit;

/// <summary>The change history's hash chain: how an entry's hash is computed and how a run of entries is checked.</summary>
/// <remarks>
/// An entry's hash covers its id, time (UTC, to the microsecond as ISO-8601), actor, action, target, before, after
/// and the previous entry's hash, each length-prefixed so that no two different entries hash the same. Editing,
/// inserting or deleting an entry behind the store's back breaks the chain at that entry (or, for a deleted last
/// entry, is invisible only until the next append links to it). Every store computes hashes here.
/// </remarks>
public static class ChangeChain
{
    /// <summary>The previous hash of the first entry: 64 zeros.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The hash of entry <paramref name="id"/>, appended at <paramref name="at"/> after <paramref name="previousHash"/>.</summary>
    public static string HashOf(long id, DateTimeOffset at, ChangeRecord change, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(previousHash);
        var text = new StringBuilder(256);
        Append(text, id.ToString(CultureInfo.InvariantCulture));
        Append(text, FormatTime(at));
        Append(text, change.ActorId);
        Append(text, change.ActorName);
        Append(text, change.Action);
        Append(text, change.Target);
        Append(text, change.Before);
        Append(text, change.After);
        Append(text, previousHash);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>The time as the hash covers it (and stores should keep it): UTC, <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>.</summary>
    public static string FormatTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Checks <paramref name="entries"/>, in id order from the first: ids without gaps, links, hashes.</summary>
    /// <param name="entries">The whole history, oldest first.</param>
    public static ChainVerification Verify(IEnumerable<ChangeEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var verifier = new ChangeChainVerifier();
        foreach (var entry in entries)
        {
            if (!verifier.Add(entry))
            {
                break;
            }
        }

        return verifier.Result;
    }

    private static void Append(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("-1:");
            return;
        }

        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
    }
}
