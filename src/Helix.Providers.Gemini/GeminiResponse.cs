using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.Gemini;

/// <summary>Translates Gemini <c>GenerateContentResponse</c>s into OpenAI <c>chat.completion</c> bodies and chunks.</summary>
/// <remarks>
/// Text parts become <c>content</c>; thought parts (<c>"thought":true</c>) are not content but
/// <c>reasoning_content</c>; <c>functionCall</c> parts become <c>tool_calls</c> (a thought signature rides along in
/// <c>extra_content.google.thought_signature</c>, as on Gemini's own OpenAI-compatible surface). Usage is written
/// from the meters: <c>prompt_tokens</c> counts tool-use prompt tokens, <c>completion_tokens</c> counts thoughts.
/// Stateless and thread-safe.
/// </remarks>
internal static class GeminiResponse
{
    /// <summary>Writes the <c>chat.completion</c> body of a whole response.</summary>
    public static ReadOnlyMemory<byte> ToChatCompletion(JsonElement root, string id, long created, string model, in UsageReport usage) =>
        ChatJson.ToChatCompletion(id, created, model, Candidates(root), static (writer, candidates) =>
        {
            foreach (var candidate in candidates)
            {
                var hasContent = candidate.HasText && (candidate.Text.Length > 0 || candidate.ToolCalls.Count == 0);
                ChatJson.StartMessageChoice(writer, candidate.Index, hasContent ? candidate.Text : null, candidate.Reasoning);
                WriteToolCalls(writer, candidate.ToolCalls, streamed: false);
                ChatJson.EndMessageChoice(writer, candidate.FinishReason ?? "stop");
            }
        }, usage, WriteUsage);

    /// <summary>Writes the <c>chat.completion.chunk</c> of one stream event, or nothing when it carries no choice.</summary>
    /// <remarks><paramref name="state"/> holds what earlier chunks produced and receives the produced text, for estimates.</remarks>
    public static byte[]? ToChunk(JsonElement root, string id, long created, string model, StreamState state)
    {
        var candidates = Candidates(root);
        if (candidates.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            ChatJson.WriteHeader(writer, id, "chat.completion.chunk", created, model);
            writer.WriteStartArray("choices");
            foreach (var candidate in candidates)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", candidate.Index);
                writer.WriteStartObject("delta");
                if (state.Started.Add(candidate.Index))
                {
                    writer.WriteString("role", "assistant");
                }

                if (candidate.Text.Length > 0)
                {
                    writer.WriteString("content", candidate.Text);
                    state.Text.Append(candidate.Text);
                }

                if (candidate.Reasoning.Length > 0)
                {
                    writer.WriteString("reasoning_content", candidate.Reasoning);
                    state.Text.Append(candidate.Reasoning);
                }

                // Tool calls are numbered across the whole stream, as OpenAI numbers their deltas.
                var earlierCalls = state.ToolCalls.GetValueOrDefault(candidate.Index);
                var calls = candidate.ToolCalls.ConvertAll(call => call with { Index = earlierCalls + call.Index });
                foreach (var call in calls)
                {
                    state.Text.Append(call.Arguments);
                }

                state.ToolCalls[candidate.Index] = earlierCalls + calls.Count;
                WriteToolCalls(writer, calls, streamed: true);
                writer.WriteEndObject();
                var finish = candidate.FinishReason;
                ChatJson.WriteFinishReason(writer, finish == "stop" && earlierCalls + calls.Count > 0 ? "tool_calls" : finish);

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the usage-only chunk (<c>"choices":[]</c>) that ends a stream, as OpenAI sends it.</summary>
    public static byte[] ToUsageChunk(string id, long created, string model, in UsageMeters meters) =>
        ChatJson.ToUsageChunk(id, created, model, meters, WriteUsage, capacity: 512);

    /// <summary>The OpenAI <c>finish_reason</c> of a Gemini <c>finishReason</c>.</summary>
    public static string? FinishReason(string? reason, bool toolCalls) => reason switch
    {
        null or "" or "FINISH_REASON_UNSPECIFIED" => null,
        "MAX_TOKENS" => "length",
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT"
            => "content_filter",
        _ => toolCalls ? "tool_calls" : "stop",
    };

    /// <summary>The response's <c>createTime</c> in Unix seconds, when it has one.</summary>
    public static long? CreatedOf(JsonElement root) =>
        root.TryGetProperty("createTime", out var time) && time.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUnixTimeSeconds()
            : null;

    private static void WriteToolCalls(Utf8JsonWriter writer, List<ToolCall> calls, bool streamed)
    {
        if (calls.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("tool_calls");
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            writer.WriteStartObject();
            if (streamed)
            {
                writer.WriteNumber("index", call.Index);
            }

            writer.WriteString("id", call.Id);
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", call.Name);
            writer.WriteString("arguments", call.Arguments);
            writer.WriteEndObject();
            if (call.ThoughtSignature is { } signature)
            {
                writer.WriteStartObject("extra_content");
                writer.WriteStartObject("google");
                writer.WriteString("thought_signature", signature);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteUsage(Utf8JsonWriter writer, in UsageMeters meters)
    {
        var prompt = meters.PromptTokens + meters.ToolPromptTokens;
        var completion = meters.CompletionTokens;
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", prompt);
        writer.WriteNumber("completion_tokens", completion);
        writer.WriteNumber("total_tokens", prompt + completion);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", meters.CacheReadTokens + meters.CacheReadAudioTokens);
        writer.WriteNumber("audio_tokens", meters.InputAudioTokens + meters.CacheReadAudioTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", meters.ReasoningTokens);
        writer.WriteNumber("audio_tokens", meters.OutputAudioTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static List<Candidate> Candidates(JsonElement root)
    {
        var result = new List<Candidate>(1);
        if (root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
        {
            var position = 0;
            foreach (var candidate in candidates.EnumerateArray())
            {
                if (candidate.ValueKind == JsonValueKind.Object)
                {
                    result.Add(Candidate.Read(candidate, position));
                }

                position++;
            }
        }
        else if (root.TryGetProperty("promptFeedback", out var feedback) && ChatJson.StringOf(feedback, "blockReason") is { Length: > 0 })
        {
            // A blocked prompt has no candidates but is an answer all the same: an empty, filtered choice.
            result.Add(new Candidate(0, string.Empty, false, string.Empty, [], "content_filter"));
        }

        return result;
    }

    /// <summary>What a stream's earlier chunks produced. Not thread-safe: one per stream.</summary>
    internal sealed class StreamState
    {
        /// <summary>Candidate indexes that had their first chunk, which carries the role.</summary>
        public HashSet<int> Started { get; } = [];

        /// <summary>Tool calls streamed so far, by candidate index.</summary>
        public Dictionary<int, int> ToolCalls { get; } = [];

        /// <summary>The text, reasoning and tool arguments produced so far.</summary>
        public StringBuilder Text { get; } = new();
    }

    private sealed record ToolCall(int Index, string Id, string Name, string Arguments, string? ThoughtSignature);

    private sealed record Candidate(int Index, string Text, bool HasText, string Reasoning, List<ToolCall> ToolCalls, string? FinishReason)
    {
        public static Candidate Read(JsonElement candidate, int position)
        {
            var index = candidate.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : position;
            var text = new StringBuilder();
            var reasoning = new StringBuilder();
            var hasText = false;
            var calls = new List<ToolCall>();
            if (candidate.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
                && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    var isThought = part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True;
                    if (ChatJson.StringOf(part, "text") is { } partText)
                    {
                        if (isThought)
                        {
                            reasoning.Append(partText);
                        }
                        else
                        {
                            text.Append(partText);
                            hasText = true;
                        }
                    }
                    else if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object)
                    {
                        var arguments = call.TryGetProperty("args", out var args) ? args.GetRawText() : "{}";
                        calls.Add(new ToolCall(
                            calls.Count,
                            ChatJson.StringOf(call, "id") ?? "call_" + Guid.NewGuid().ToString("N")[..24],
                            ChatJson.StringOf(call, "name") ?? string.Empty,
                            arguments,
                            ChatJson.StringOf(part, "thoughtSignature")));
                    }
                }
            }

            return new Candidate(index, text.ToString(), hasText, reasoning.ToString(), calls,
                GeminiResponse.FinishReason(ChatJson.StringOf(candidate, "finishReason"), calls.Count > 0));
        }
    }
}
