using System.Buffers;
using System.Text;

namespace Helix.Providers.Shared;

/// <summary>Receives one <c>data:</c> payload of a transcript, with the event type in force.</summary>
internal delegate void SseDataHandler<TState>(TState state, string eventType, ReadOnlySpan<byte> data);

/// <summary>Walks a saved SSE transcript line by line, for <c>helix cost</c> and tests.</summary>
/// <remarks>
/// Every <c>data:</c> line is one payload (transcripts are often saved with their blank lines lost, so lines are
/// not joined); <c>event:</c> sets the type of the lines that follow until a blank line; comment lines and
/// <c>[DONE]</c> are skipped. Compiled into each adapter assembly as a linked source file. Thread-safe.
/// </remarks>
internal static class SseTranscript
{
    public const string DefaultEventType = "message";

    public static void ForEachData<TState>(string transcript, TState state, SseDataHandler<TState> handler)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var eventType = DefaultEventType;
        byte[]? buffer = null;
        try
        {
            foreach (var rawLine in transcript.AsSpan().EnumerateLines())
            {
                var line = rawLine.TrimEnd();
                if (line.IsEmpty)
                {
                    eventType = DefaultEventType;
                    continue;
                }

                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    eventType = line["event:".Length..].Trim().ToString();
                    continue;
                }

                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                var data = line["data:".Length..].TrimStart();
                if (data.IsEmpty || data.SequenceEqual("[DONE]"))
                {
                    continue;
                }

                var needed = Encoding.UTF8.GetMaxByteCount(data.Length);
                if (buffer is null || buffer.Length < needed)
                {
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }

                    buffer = ArrayPool<byte>.Shared.Rent(needed);
                }

                var written = Encoding.UTF8.GetBytes(data, buffer);
                handler(state, eventType, buffer.AsSpan(0, written));
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
