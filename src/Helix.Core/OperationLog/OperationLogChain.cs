using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Helix.Core.Audit;

namespace Helix.Core.OperationLog;

/// <summary>The operation log's hash chain: each row holds the hash of the row before it, so a row edited, inserted or deleted behind the store's back shows.</summary>
/// <remarks>
/// <para>
/// A row's hash covers every field the row is stored with: its id, request id, time (to the tick), operation,
/// principal, end user, provider, model, reported model, attempt, status, error code, HTTP status, latency,
/// streamed, usage known, every meter, the cost as the call was priced, cost status and reason, worst-case
/// estimate, price source and date, service tier and the provider's request id; and the previous row's hash.
/// Each value is length-prefixed, so no two different rows hash the same text.
/// </para>
/// <para>
/// Re-pricing does not touch a row: it appends a cost adjustment beside it (and the re-pricing itself is recorded in
/// the change history), so <see cref="OperationLogEntry.RepricedCostUsd"/>, a read model, is not covered and a
/// legitimate re-pricing never breaks the chain, while an edit of a row's meters, model, user, principal, time or
/// original cost does. Like any hash chain kept beside the data, it shows edits by someone who does not rewrite every
/// later row too; someone with the file who recomputes the whole chain from the edit on is not caught by it alone.
/// </para>
/// <para>Thread-safe (stateless). Every store computes hashes here, so a log moved between stores verifies the same.</para>
/// </remarks>
public static class OperationLogChain
{
    /// <summary>The previous hash of the first row: 64 zeros (the same genesis as <see cref="ChangeChain.Genesis"/>).</summary>
    public const string Genesis = ChangeChain.Genesis;

    /// <summary>The hash of <paramref name="entry"/> stored as row <paramref name="id"/> after a row whose hash is <paramref name="previousHash"/>.</summary>
    /// <param name="id">The row's id in the log (the entry's own <see cref="OperationLogEntry.Id"/> is ignored: the store assigns it).</param>
    /// <param name="entry">The row.</param>
    /// <param name="previousHash">The previous row's hash, or <see cref="Genesis"/>.</param>
    /// <returns>SHA-256 as 64 lowercase hex digits.</returns>
    public static string HashOf(long id, OperationLogEntry entry, string previousHash) =>
        HashOf(id, entry, previousHash, new StringBuilder(512));

    /// <summary>As <see cref="HashOf(long, OperationLogEntry, string)"/>, composing the text in <paramref name="scratch"/> (cleared first), which a single writer may reuse.</summary>
    public static string HashOf(long id, OperationLogEntry entry, string previousHash, StringBuilder scratch)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(scratch);
        var m = entry.Meters;
        var text = scratch.Clear();
        Append(text, id);
        Append(text, entry.RequestId);
        Append(text, entry.Timestamp.UtcTicks);
        Append(text, entry.Operation);
        Append(text, entry.Principal);
        Append(text, entry.User);
        Append(text, entry.Provider);
        Append(text, entry.Model);
        Append(text, entry.ReportedModel);
        Append(text, entry.Attempt);
        Append(text, Enum.GetName(entry.Status) ?? entry.Status.ToString());
        Append(text, entry.ErrorCode);
        AppendFormatted(text, entry.HttpStatus, default);
        AppendFormatted(text, entry.LatencyMs, "R");
        Append(text, entry.Streamed ? 1 : 0);
        Append(text, entry.UsageKnown ? 1 : 0);
        Append(text, m.InputTokens);
        Append(text, m.CacheReadTokens);
        Append(text, m.CacheWrite5mTokens);
        Append(text, m.CacheWrite1hTokens);
        Append(text, m.InputAudioTokens);
        Append(text, m.CacheReadAudioTokens);
        Append(text, m.InputImageTokens);
        Append(text, m.InputVideoTokens);
        Append(text, m.ToolPromptTokens);
        Append(text, m.OutputTokens);
        Append(text, m.ReasoningTokens);
        Append(text, m.OutputAudioTokens);
        Append(text, m.AudioSeconds);
        Append(text, m.Characters);
        Append(text, m.Requests);
        Append(text, m.WebSearchRequests);
        Append(text, m.CacheStorageTokenHours);
        Append(text, entry.CostUsd);
        Append(text, Enum.GetName(entry.CostStatus) ?? entry.CostStatus.ToString());
        Append(text, entry.CostReason);
        Append(text, entry.EstimatedCostUsd);
        Append(text, entry.PriceSource);
        AppendFormatted(text, entry.PriceSourceDate, "yyyy-MM-dd");
        Append(text, entry.ServiceTier);
        Append(text, entry.ProviderRequestId);
        Append(text, previousHash);

        // Rows are small (under a kilobyte unless a caller sent long strings): the bytes go on the stack when they fit.
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = length <= 2048 ? stackalloc byte[2048] : new byte[length];
        var written = 0;
        foreach (var chunk in text.GetChunks())
        {
            written += Encoding.UTF8.GetBytes(chunk.Span, bytes[written..]);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..written], hash);
        return Convert.ToHexStringLower(hash);
    }

    private static void Append(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("-1:");
            return;
        }

        text.Append(value.Length).Append(':').Append(value).Append('\n');
    }

    private static void Append(StringBuilder text, long value)
    {
        Span<char> digits = stackalloc char[24];
        value.TryFormat(digits, out var count, provider: CultureInfo.InvariantCulture);
        text.Append(count).Append(':').Append(digits[..count]).Append('\n');
    }

    // Numbers and dates are formatted on the stack, never as strings: the text is the same as their invariant ToString.
    private static void Append(StringBuilder text, decimal? value) => AppendFormatted(text, value, default);

    private static void AppendFormatted<T>(StringBuilder text, T? value, ReadOnlySpan<char> format)
        where T : struct, ISpanFormattable
    {
        if (value is not { } v)
        {
            text.Append("-1:");
            return;
        }

        AppendFormatted(text, v, format);
    }

    private static void AppendFormatted<T>(StringBuilder text, T value, ReadOnlySpan<char> format)
        where T : ISpanFormattable
    {
        Span<char> chars = stackalloc char[64];
        if (!value.TryFormat(chars, out var count, format, CultureInfo.InvariantCulture))
        {
            Append(text, value.ToString(format.ToString(), CultureInfo.InvariantCulture));
            return;
        }

        text.Append(count).Append(':').Append(chars[..count]).Append('\n');
    }
}
