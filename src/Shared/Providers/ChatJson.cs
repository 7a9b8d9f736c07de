using System.Buffers;
using System.Text.Json;
using Helix.Core.Metering;

namespace Helix.Providers.Shared;

/// <summary>Writes the <c>usage</c> object of a translated OpenAI body from the meters, in the provider's terms.</summary>
internal delegate void UsageWriter(Utf8JsonWriter writer, in UsageMeters meters);

/// <summary>The pieces of OpenAI <c>chat.completion</c> bodies and chunks that every translating adapter writes alike.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class ChatJson
{
    /// <summary>A fresh response id, for providers that send none.</summary>
    public static string NewId() => "chatcmpl-" + Guid.NewGuid().ToString("N");

    /// <summary>Writes <c>id</c>, <c>object</c>, <c>created</c> and <c>model</c>.</summary>
    public static void WriteHeader(Utf8JsonWriter writer, string id, string objectType, long created, string model)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", objectType);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
    }

    /// <summary>Writes a <c>chat.completion</c> body: <paramref name="writeChoices"/> writes the entries of <c>choices</c>; the usage follows when it is known.</summary>
    public static ReadOnlyMemory<byte> ToChatCompletion<TState>(
        string id, long created, string model, TState state, Action<Utf8JsonWriter, TState> writeChoices, in UsageReport usage, UsageWriter writeUsage)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteHeader(writer, id, "chat.completion", created, model);
            writer.WriteStartArray("choices");
            writeChoices(writer, state);
            writer.WriteEndArray();
            if (usage.IsKnown)
            {
                writeUsage(writer, usage.Meters);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Opens an entry of <c>choices</c> and its assistant <c>message</c> with the content (<c>null</c> when there is none), a <c>null</c> refusal and the reasoning.</summary>
    /// <remarks>The caller adds the message's <c>tool_calls</c>, then closes both with <see cref="EndMessageChoice"/>.</remarks>
    public static void StartMessageChoice(Utf8JsonWriter writer, int index, string? content, string? reasoning)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        if (content is null)
        {
            writer.WriteNull("content");
        }
        else
        {
            writer.WriteString("content", content);
        }

        // OpenAI's schema requires refusal on every message; no translated provider refuses in that field.
        writer.WriteNull("refusal");
        if (!string.IsNullOrEmpty(reasoning))
        {
            writer.WriteString("reasoning_content", reasoning);
        }
    }

    /// <summary>Closes the message and the choice <see cref="StartMessageChoice"/> opened, with the choice's <c>logprobs</c> (none) and <c>finish_reason</c>.</summary>
    public static void EndMessageChoice(Utf8JsonWriter writer, string finishReason)
    {
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>finish_reason</c>: the reason, or <c>null</c> while the choice goes on.</summary>
    public static void WriteFinishReason(Utf8JsonWriter writer, string? finishReason)
    {
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason");
        }
        else
        {
            writer.WriteString("finish_reason", finishReason);
        }
    }

    /// <summary>Writes the usage-only chunk (<c>"choices":[]</c>) that ends a stream, as OpenAI sends it.</summary>
    /// <remarks><paramref name="capacity"/> is the buffer's first size, fitted to the provider's usage object so a typical chunk is written without growing it.</remarks>
    public static byte[] ToUsageChunk(string id, long created, string model, in UsageMeters meters, UsageWriter writeUsage, int capacity)
    {
        var buffer = new ArrayBufferWriter<byte>(capacity);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteHeader(writer, id, "chat.completion.chunk", created, model);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            writeUsage(writer, meters);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A string property of an element, or <see langword="null"/>.</summary>
    public static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
