using System.Buffers;
using System.Text;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Providers.Shared;

namespace Helix.Providers.Anthropic;

/// <summary>Writes OpenAI <c>chat.completion</c> bodies and chunks from Anthropic messages and stream events.</summary>
/// <remarks>
/// Text blocks become <c>content</c>, thinking blocks <c>reasoning_content</c>, <c>tool_use</c> blocks
/// <c>tool_calls</c>. Usage is written from the meters in OpenAI's terms: <c>prompt_tokens</c> counts uncached input,
/// cache reads and cache writes, and <c>cached_tokens</c> the reads. Stateless and thread-safe.
/// </remarks>
internal static class AnthropicResponse
{
    /// <summary>Writes the <c>chat.completion</c> body of a whole message.</summary>
    public static ReadOnlyMemory<byte> ToChatCompletion(JsonElement message, string requestedModel, long created, in UsageReport usage)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var hasText = false;
        var toolUses = new List<JsonElement>();
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                switch (ChatJson.StringOf(block, "type"))
                {
                    case "text":
                        text.Append(ChatJson.StringOf(block, "text"));
                        hasText = true;
                        break;
                    case "thinking":
                        reasoning.Append(ChatJson.StringOf(block, "thinking"));
                        break;
                    case "tool_use":
                        toolUses.Add(block);
                        break;
                }
            }
        }

        var choice = (
            Content: hasText ? text.ToString() : null,
            Reasoning: reasoning.ToString(),
            ToolUses: toolUses,
            FinishReason: FinishReason(ChatJson.StringOf(message, "stop_reason")) ?? "stop");
        var id = ChatJson.StringOf(message, "id") ?? ChatJson.NewId();
        var model = ChatJson.StringOf(message, "model") ?? requestedModel;
        return ChatJson.ToChatCompletion(id, created, model, choice, static (writer, choice) =>
        {
            ChatJson.StartMessageChoice(writer, 0, choice.Content, choice.Reasoning);
            WriteToolCalls(writer, choice.ToolUses);
            ChatJson.EndMessageChoice(writer, choice.FinishReason);
        }, usage, WriteUsage);
    }

    /// <summary>Writes one <c>chat.completion.chunk</c> with a single choice whose <c>delta</c> properties <paramref name="writeDelta"/> writes.</summary>
    public static byte[] ToChunk<TState>(string id, long created, string model, TState state, Action<Utf8JsonWriter, TState> writeDelta, string? finishReason = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            ChatJson.WriteHeader(writer, id, "chat.completion.chunk", created, model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            writeDelta(writer, state);
            writer.WriteEndObject();
            ChatJson.WriteFinishReason(writer, finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the usage-only chunk (<c>"choices":[]</c>) that ends a stream, as OpenAI sends it.</summary>
    public static byte[] ToUsageChunk(string id, long created, string model, in UsageMeters meters) =>
        ChatJson.ToUsageChunk(id, created, model, meters, WriteUsage, capacity: 256);

    /// <summary>The OpenAI <c>finish_reason</c> of an Anthropic <c>stop_reason</c>.</summary>
    public static string? FinishReason(string? stopReason) => stopReason switch
    {
        null or "" => null,
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };

    private static void WriteToolCalls(Utf8JsonWriter writer, List<JsonElement> toolUses)
    {
        if (toolUses.Count == 0)
        {
            return;
        }

        writer.WriteStartArray("tool_calls");
        foreach (var toolUse in toolUses)
        {
            writer.WriteStartObject();
            writer.WriteString("id", ChatJson.StringOf(toolUse, "id"));
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", ChatJson.StringOf(toolUse, "name"));
            writer.WriteString("arguments", toolUse.TryGetProperty("input", out var input) ? input.GetRawText() : "{}");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteUsage(Utf8JsonWriter writer, in UsageMeters meters)
    {
        var prompt = meters.PromptTokens;
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", prompt);
        writer.WriteNumber("completion_tokens", meters.CompletionTokens);
        writer.WriteNumber("total_tokens", prompt + meters.CompletionTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", meters.CacheReadTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
