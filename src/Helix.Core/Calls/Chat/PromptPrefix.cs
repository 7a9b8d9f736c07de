using System.Globalization;
using System.IO.Hashing;
using Helix.Core.Providers;

namespace Helix.Core.Calls.Chat;

/// <summary>
/// The hash of a chat request's leading prompt, so that the log shows where the same prompt prefix repeats (what
/// prompt caching serves): 16 lowercase hex digits of a 64-bit XxHash3, not a cryptographic hash.
/// </summary>
/// <remarks>
/// The prefix is the text of the leading run of <c>system</c>/<c>developer</c> messages or, when the request opens
/// with none, of its first message: string contents and the <c>text</c> of content parts, in order, at most
/// <see cref="MaxBytes"/> bytes of their UTF-8 (unescaped) text. It is hashed while the request's bytes are read
/// (<see cref="ChatRequest.Read"/>), on the bytes in place; the same text hashes the same however it was escaped or
/// whichever entry built the request. A request with no such text has no hash.
/// </remarks>
public static class PromptPrefix
{
    /// <summary>The most UTF-8 bytes of the prefix that are hashed.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>The prefix's hash, or <see langword="null"/> when the request has no leading text.</summary>
    public static string? Hash(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.PromptPrefixHash;
    }

    // Each piece of text is hashed with the hash so far as its seed: the same pieces give the same hash.
    internal struct State
    {
        public ulong Hash;
        public int Bytes;

        public readonly int Remaining => MaxBytes - Bytes;

        public readonly string? Result => Bytes == 0 ? null : Hash.ToString("x16", CultureInfo.InvariantCulture);

        public void Add(ReadOnlySpan<byte> utf8)
        {
            var piece = utf8[..Math.Min(utf8.Length, Remaining)];
            if (piece.IsEmpty)
            {
                return;
            }

            Hash = XxHash3.HashToUInt64(piece, unchecked((long)Hash));
            Bytes += piece.Length;
        }
    }
}
