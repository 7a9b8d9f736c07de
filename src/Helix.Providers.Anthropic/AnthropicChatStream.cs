using System.Text.Json;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.Anthropic;

/// <summary>An Anthropic Messages stream, translated to OpenAI <c>chat.completion.chunk</c>s.</summary>
/// <remarks>
/// <c>message_start</c> becomes the chunk that carries the role; text, thinking and tool-input deltas become
/// <c>content</c>, <c>reasoning_content</c> and <c>tool_calls</c> deltas; <c>message_delta</c>'s stop reason the
/// <c>finish_reason</c>; <c>message_stop</c> ends the stream with a usage-only chunk (<c>"choices":[]</c>) built by
/// <see cref="AnthropicStreamUsage"/>. An <c>error</c> event, or a body that ends before <c>message_stop</c>, ends
/// the stream with an error. Not thread-safe.
/// </remarks>
internal sealed class AnthropicChatStream : TranslatedChatStream
{
    private readonly AnthropicStreamUsage _usage = new();
    private readonly Dictionary<int, int> _toolIndexByBlock = [];
    private string _id = ChatJson.NewId();

    public AnthropicChatStream(HttpResponseMessage response, string requestedModel, long created, string? apiKey)
        : base(response, "anthropic", requestedModel, created, apiKey)
    {
    }

    /// <inheritdoc/>
    public override UsageReport Usage => _usage.Report;

    /// <inheritdoc/>
    protected override void OnJsonEvent(string eventType, ReadOnlyMemory<byte> data, JsonElement root)
    {
        var type = eventType != SseTranscript.DefaultEventType ? eventType : ChatJson.StringOf(root, "type");
        _usage.Observe(type ?? string.Empty, data.Span);
        switch (type)
        {
            case "message_start":
                OnMessageStart(root);
                break;
            case "content_block_start":
                OnBlockStart(root);
                break;
            case "content_block_delta":
                OnBlockDelta(root);
                break;
            case "message_delta" when root.TryGetProperty("delta", out var delta)
                && AnthropicResponse.FinishReason(ChatJson.StringOf(delta, "stop_reason")) is { } finish:
                Emit(Chunk(0, static (_, _) => { }, finish));
                break;
            case "message_stop":
                Complete();
                if (_usage.Report is { IsKnown: true } usage)
                {
                    Emit(new StreamChunk(AnthropicResponse.ToUsageChunk(_id, Created, Model, usage.Meters), IsUsageOnly: true));
                }

                break;
            case "error":
                Fail(AnthropicErrors.FromEvent(data.Span, ApiKey));
                break;
        }
    }

    /// <inheritdoc/>
    protected override void OnEnd() =>
        Fail(new ProviderError(ProviderErrorKind.Network, "The stream from anthropic ended before message_stop."));

    private void OnMessageStart(JsonElement root)
    {
        if (root.TryGetProperty("message", out var message))
        {
            _id = ChatJson.StringOf(message, "id") ?? _id;
            Model = ChatJson.StringOf(message, "model") ?? Model;
        }

        Emit(Chunk(0, static (writer, _) =>
        {
            writer.WriteString("role", "assistant");
            writer.WriteString("content", string.Empty);
        }));
    }

    private void OnBlockStart(JsonElement root)
    {
        if (!root.TryGetProperty("content_block", out var block) || ChatJson.StringOf(block, "type") != "tool_use")
        {
            return;
        }

        var toolIndex = _toolIndexByBlock.Count;
        _toolIndexByBlock[IndexOf(root)] = toolIndex;
        var call = (Index: toolIndex, Id: ChatJson.StringOf(block, "id"), Name: ChatJson.StringOf(block, "name"));
        Emit(Chunk(call, static (writer, c) =>
        {
            writer.WriteStartArray("tool_calls");
            writer.WriteStartObject();
            writer.WriteNumber("index", c.Index);
            writer.WriteString("id", c.Id);
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", c.Name);
            writer.WriteString("arguments", string.Empty);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }));
    }

    private void OnBlockDelta(JsonElement root)
    {
        if (!root.TryGetProperty("delta", out var delta))
        {
            return;
        }

        switch (ChatJson.StringOf(delta, "type"))
        {
            case "text_delta" when ChatJson.StringOf(delta, "text") is { } text:
                AppendText(text);
                Emit(Chunk(text, static (writer, t) => writer.WriteString("content", t)));
                break;
            case "thinking_delta" when ChatJson.StringOf(delta, "thinking") is { } thinking:
                AppendText(thinking);
                Emit(Chunk(thinking, static (writer, t) => writer.WriteString("reasoning_content", t)));
                break;
            case "input_json_delta" when ChatJson.StringOf(delta, "partial_json") is { } json
                && _toolIndexByBlock.TryGetValue(IndexOf(root), out var toolIndex):
                AppendText(json);
                Emit(Chunk((Index: toolIndex, Json: json), static (writer, d) =>
                {
                    writer.WriteStartArray("tool_calls");
                    writer.WriteStartObject();
                    writer.WriteNumber("index", d.Index);
                    writer.WriteStartObject("function");
                    writer.WriteString("arguments", d.Json);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                }));
                break;
        }
    }

    private StreamChunk Chunk<TState>(TState state, Action<Utf8JsonWriter, TState> writeDelta, string? finishReason = null) =>
        new(AnthropicResponse.ToChunk(_id, Created, Model, state, writeDelta, finishReason), IsUsageOnly: false);

    private static int IndexOf(JsonElement root) =>
        root.TryGetProperty("index", out var index) && index.TryGetInt32(out var value) ? value : 0;
}
