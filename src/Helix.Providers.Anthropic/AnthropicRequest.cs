using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Providers.Shared;

namespace Helix.Providers.Anthropic;

/// <summary>Translates an OpenAI chat-completions request into an Anthropic Messages API request.</summary>
/// <remarks>
/// <para>
/// Messages: <c>system</c>/<c>developer</c> become <c>system</c> text blocks; <c>user</c> and <c>assistant</c> keep
/// their roles (consecutive turns of one role are merged by the API); assistant <c>tool_calls</c> become
/// <c>tool_use</c> blocks and <c>tool</c> messages <c>tool_result</c> blocks of a user turn. Content parts: text
/// (with its <c>cache_control</c>, so prompt caching works through Helix), images (a <c>data:</c> URI as base64,
/// another URL by reference) and PDF <c>file</c> data.
/// </para>
/// <para>
/// Options: <c>max_completion_tokens</c>/<c>max_tokens</c> (Anthropic requires one: the model's default cap
/// otherwise), <c>temperature</c>, <c>top_p</c>, <c>stop</c>, <c>user</c> (as <c>metadata.user_id</c>),
/// <c>tools</c>, <c>tool_choice</c> and <c>parallel_tool_calls</c>. Other fields have no Anthropic counterpart and
/// are not sent. The request object is only read. Thread-safe.
/// </para>
/// </remarks>
internal static class AnthropicRequest
{
    /// <summary>Writes the Messages API body, or says why the request cannot be translated.</summary>
    public static ReadOnlyMemory<byte> Write(JsonObject request, string model, int defaultMaxTokens, bool stream, out string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer);
        error = WriteBody(request, model, defaultMaxTokens, stream, writer);
        writer.Flush();
        return error is null ? buffer.WrittenMemory : ReadOnlyMemory<byte>.Empty;
    }

    private static string? WriteBody(JsonObject request, string model, int defaultMaxTokens, bool stream, Utf8JsonWriter writer)
    {
        if (request["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return "The request has no messages.";
        }

        writer.WriteStartObject();
        writer.WriteString("model", model);
        writer.WriteNumber("max_tokens", Number(request["max_completion_tokens"]) ?? Number(request["max_tokens"]) ?? defaultMaxTokens);
        var system = new List<JsonObject>();
        if (ChatRequestJson.WriteMessages(writer, "messages", "content", messages, system, WriteMessage) is { } messagesError)
        {
            return messagesError;
        }

        if (system.Count > 0)
        {
            writer.WriteStartArray("system");
            foreach (var block in system)
            {
                block.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        if (stream)
        {
            writer.WriteBoolean("stream", true);
        }

        if (WriteOptions(writer, request) is { } optionsError)
        {
            return optionsError;
        }

        writer.WriteEndObject();
        return null;
    }

    private static string? WriteMessage(Utf8JsonWriter writer, string role, JsonObject message, List<JsonObject> system) => role switch
    {
        "tool" => WriteToolResult(writer, message),
        "system" or "developer" => CollectSystem(message["content"], system),
        "user" or "assistant" => WriteTurn(writer, role, message),
        _ => $"Anthropic has no message role '{role}'.",
    };

    private static string? CollectSystem(JsonNode? content, List<JsonObject> into) =>
        ChatRequestJson.CollectText(content, into, static (text, part) =>
        {
            var block = new JsonObject { ["type"] = "text", ["text"] = text };
            if (part?["cache_control"] is JsonObject cache)
            {
                block["cache_control"] = cache.DeepClone();
            }

            return block;
        });

    private static string? WriteTurn(Utf8JsonWriter writer, string role, JsonObject message)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteStartArray("content");
        var content = message["content"];
        var error = content is null ? null : ChatRequestJson.WriteParts(writer, content, WriteTextBlock, WriteBlock);
        if (error is null && role == "assistant")
        {
            error = WriteToolUses(writer, message["tool_calls"]);
        }

        // A failed translation is discarded whole, so the writer is left as it is.
        if (error is not null)
        {
            return error;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return null;
    }

    private static string? WriteBlock(Utf8JsonWriter writer, JsonObject part) => Text(part["type"]) switch
    {
        "text" => WriteText(writer, part),
        "image_url" => WriteMedia(writer, "image", part["image_url"] is JsonObject image ? Text(image["url"]) : Text(part["image_url"])),
        "file" => WriteMedia(writer, "document", Text((part["file"] as JsonObject)?["file_data"])),
        var type => $"Anthropic cannot take a content part of type '{type}'.",
    };

    private static void WriteTextBlock(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static string? WriteText(Utf8JsonWriter writer, JsonObject part)
    {
        if (Text(part["text"]) is not { } text)
        {
            return "A text part needs text.";
        }

        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text);
        if (part["cache_control"] is JsonObject cache)
        {
            writer.WritePropertyName("cache_control");
            cache.WriteTo(writer);
        }

        writer.WriteEndObject();
        return null;
    }

    private static string? WriteMedia(Utf8JsonWriter writer, string blockType, string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return "A media part needs a URL or data.";
        }

        var isData = url.StartsWith("data:", StringComparison.OrdinalIgnoreCase);
        var mediaType = string.Empty;
        var dataStart = -1;
        if (isData && (!ChatRequestJson.TrySplitBase64DataUri(url, out mediaType, out dataStart) || mediaType.Length == 0))
        {
            return "A data: URI must name its media type and be base64-encoded.";
        }

        writer.WriteStartObject();
        writer.WriteString("type", blockType);
        writer.WriteStartObject("source");
        if (isData)
        {
            writer.WriteString("type", "base64");
            writer.WriteString("media_type", mediaType);
            writer.WriteString("data", url.AsSpan(dataStart));
        }
        else
        {
            writer.WriteString("type", "url");
            writer.WriteString("url", url);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static string? WriteToolUses(Utf8JsonWriter writer, JsonNode? toolCalls)
    {
        if (toolCalls is null)
        {
            return null;
        }

        if (toolCalls is not JsonArray calls)
        {
            return "tool_calls must be an array.";
        }

        foreach (var node in calls)
        {
            if (node is not JsonObject call || Text(call["id"]) is not { } id
                || call["function"] is not JsonObject function || Text(function["name"]) is not { } name)
            {
                return "A tool call needs an id and a function name.";
            }

            if (ChatRequestJson.ParseArguments(function, name, out var input) is { } argumentsError)
            {
                return argumentsError;
            }

            writer.WriteStartObject();
            writer.WriteString("type", "tool_use");
            writer.WriteString("id", id);
            writer.WriteString("name", name);
            writer.WritePropertyName("input");
            (input ?? new JsonObject()).WriteTo(writer);
            writer.WriteEndObject();
        }

        return null;
    }

    private static string? WriteToolResult(Utf8JsonWriter writer, JsonObject message)
    {
        if (Text(message["tool_call_id"]) is not { } id)
        {
            return "A tool message needs the tool_call_id it answers.";
        }

        var texts = new List<JsonObject>();
        if (message["content"] is { } content && CollectSystem(content, texts) is not null)
        {
            return "A tool message needs text content.";
        }

        writer.WriteStartObject();
        writer.WriteString("type", "tool_result");
        writer.WriteString("tool_use_id", id);
        writer.WriteString("content", string.Concat(texts.Select(t => (string?)t["text"])));
        writer.WriteEndObject();
        return null;
    }

    private static string? WriteOptions(Utf8JsonWriter writer, JsonObject request)
    {
        CopyNumber(writer, request, "temperature", "temperature");
        CopyNumber(writer, request, "top_p", "top_p");
        ChatRequestJson.WriteStopSequences(writer, "stop_sequences", request["stop"]);
        if (Text(request["user"]) is { } user)
        {
            writer.WriteStartObject("metadata");
            writer.WriteString("user_id", user);
            writer.WriteEndObject();
        }

        if (request["tools"] is JsonArray { Count: > 0 } tools)
        {
            writer.WriteStartArray("tools");
            var toolsError = ChatRequestJson.WriteFunctions(writer, tools, "Anthropic", static (writer, function) =>
            {
                writer.WritePropertyName("input_schema");
                (function["parameters"] as JsonObject ?? new JsonObject { ["type"] = "object" }).WriteTo(writer);
            });
            if (toolsError is not null)
            {
                return toolsError;
            }

            writer.WriteEndArray();
        }

        return WriteToolChoice(writer, request);
    }

    private static string? WriteToolChoice(Utf8JsonWriter writer, JsonObject request)
    {
        var choice = request["tool_choice"];
        var noParallel = request["parallel_tool_calls"] is JsonValue parallel && parallel.GetValueKind() == JsonValueKind.False;
        if (choice is null && !noParallel)
        {
            return null;
        }

        string? name = null;
        var type = choice is null ? "auto" : ChatRequestJson.ToolChoice(choice, out name) switch
        {
            "function" => "tool",
            "required" => "any",
            var mode => mode,
        };
        if (type is null)
        {
            return "tool_choice must be none, auto, required or a function.";
        }

        writer.WriteStartObject("tool_choice");
        writer.WriteString("type", type);
        if (name is not null)
        {
            writer.WriteString("name", name);
        }

        if (noParallel && type != "none")
        {
            writer.WriteBoolean("disable_parallel_tool_use", true);
        }

        writer.WriteEndObject();
        return null;
    }

    private static void CopyNumber(Utf8JsonWriter writer, JsonObject request, string from, string to)
    {
        if (request[from] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            writer.WritePropertyName(to);
            value.WriteTo(writer);
        }
    }

    private static int? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;

    private static string? Text(JsonNode? node) => ChatRequestJson.Text(node);
}
