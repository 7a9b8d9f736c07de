using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Helix.Core.Calls.Chat;

/// <summary>
/// The hash of a chat request's leading prompt, so that the log shows where the same prompt prefix repeats (what
/// prompt caching serves): 16 lowercase hex digits of a 64-bit XxHash3, not a cryptographic hash.
/// </summary>
/// <remarks>
/// The prefix is the text of the leading run of <c>system</c>/<c>developer</c> messages or, when the request opens
/// with none, of its first message: string contents and the <c>text</c> of content parts, in order, at most
/// <see cref="MaxBytes"/> bytes of their UTF-8 (unescaped) text. The same text hashes the same whether it came as
/// JSON (read in place from the parsed request, no copy of the body) or from an in-process caller's strings. A
/// request with no such text has no hash.
/// </remarks>
public static class PromptPrefix
{
    /// <summary>The most UTF-8 bytes of the prefix that are hashed.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>The prefix's hash, or <see langword="null"/> when the request has no leading text.</summary>
    public static string? Hash(JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return null;
        }

        var state = new State();
        for (var i = 0; i < messages.Count && state.Remaining > 0; i++)
        {
            if (messages[i] is not JsonObject message)
            {
                break;
            }

            var role = message["role"] is JsonValue r && r.TryGetValue<string>(out var name) ? name : null;
            var leading = role is "system" or "developer";
            if (!leading && i > 0)
            {
                break;
            }

            AddContent(ref state, message["content"]);
            if (!leading)
            {
                break;
            }
        }

        return state.Bytes == 0 ? null : state.Hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static void AddContent(ref State state, JsonNode? content)
    {
        switch (content)
        {
            case JsonValue text:
                AddText(ref state, text);
                break;
            case JsonArray parts:
                foreach (var part in parts)
                {
                    if (state.Remaining > 0 && part is JsonObject o && o["text"] is JsonValue partText)
                    {
                        AddText(ref state, partText);
                    }
                }

                break;
        }
    }

    private static void AddText(ref State state, JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                return;
            }

            // The raw token, quotes included, as the parser holds it: no string is made of it.
            var raw = JsonMarshal.GetRawUtf8Value(element);
            var inner = raw[1..^1];
            if (inner.IndexOf((byte)'\\') < 0)
            {
                state.Add(inner);
                return;
            }

            // Escaped text is unescaped into a pooled buffer (never longer than the escaped form).
            var buffer = ArrayPool<byte>.Shared.Rent(inner.Length);
            try
            {
                var reader = new Utf8JsonReader(raw);
                reader.Read();
                var length = reader.CopyString(buffer);
                state.Add(buffer.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return;
        }

        if (value.TryGetValue<string>(out var s))
        {
            var chars = s.AsSpan(0, Math.Min(s.Length, state.Remaining));
            var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(chars.Length));
            try
            {
                state.Add(buffer.AsSpan(0, Encoding.UTF8.GetBytes(chars, buffer)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // Each piece of text is hashed with the hash so far as its seed: the same pieces give the same hash.
    private struct State
    {
        public ulong Hash;
        public int Bytes;

        public readonly int Remaining => MaxBytes - Bytes;

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
