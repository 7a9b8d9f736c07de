using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Providers.Shared;

namespace Helix.Providers.Gemini;

/// <summary>Translates an OpenAI chat-completions request into a Gemini <c>generateContent</c> request.</summary>
/// <remarks>
/// <para>
/// Messages: <c>system</c>/<c>developer</c> become <c>systemInstruction</c>; <c>user</c> and <c>assistant</c> become
/// <c>contents</c> with roles <c>user</c> and <c>model</c>; assistant <c>tool_calls</c> become <c>functionCall</c>
/// parts and <c>tool</c> messages <c>functionResponse</c> parts (consecutive ones in one turn). Content parts: text,
/// <c>image_url</c> (a <c>data:</c> URI inline, another URL by reference), <c>input_audio</c> and <c>file</c> data.
/// </para>
/// <para>
/// Options: <c>temperature</c>, <c>top_p</c>, <c>max_completion_tokens</c>/<c>max_tokens</c>, <c>stop</c>, <c>n</c>,
/// <c>seed</c>, the penalties, <c>response_format</c> (JSON object or schema), <c>tools</c> and <c>tool_choice</c>.
/// Other fields have no Gemini counterpart and are not sent. The request object is only read. Thread-safe.
/// </para>
/// </remarks>
internal static class GeminiRequest
{
    /// <summary>Writes the Gemini request body, or says why the request cannot be translated.</summary>
    public static ReadOnlyMemory<byte> Write(JsonObject request, out string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer);
        error = WriteBody(request, writer);
        writer.Flush();
        return error is null ? buffer.WrittenMemory : ReadOnlyMemory<byte>.Empty;
    }

    private static string? WriteBody(JsonObject request, Utf8JsonWriter writer)
    {
        if (request["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return "The request has no messages.";
        }

        writer.WriteStartObject();
        var state = (System: new List<string>(), ToolNames: new Dictionary<string, string>(StringComparer.Ordinal));
        if (ChatRequestJson.WriteMessages(writer, "contents", "parts", messages, state, WriteMessage) is { } messagesError)
        {
            return messagesError;
        }

        if (state.System.Count > 0)
        {
            writer.WriteStartObject("systemInstruction");
            writer.WriteStartArray("parts");
            foreach (var text in state.System)
            {
                writer.WriteStartObject();
                writer.WriteString("text", text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (WriteTools(writer, request) is { } toolsError)
        {
            return toolsError;
        }

        var configError = WriteGenerationConfig(writer, request);
        writer.WriteEndObject();
        return configError;
    }

    private static string? WriteMessage(
        Utf8JsonWriter writer, string role, JsonObject message, (List<string> System, Dictionary<string, string> ToolNames) state)
    {
        string? error;
        switch (role)
        {
            case "tool":
                return WriteFunctionResponse(writer, message, state.ToolNames);
            case "system" or "developer":
                return CollectText(message["content"], state.System);
            case "user":
                writer.WriteStartObject();
                writer.WriteString("role", "user");
                writer.WriteStartArray("parts");
                error = WriteParts(writer, message["content"]);
                writer.WriteEndArray();
                writer.WriteEndObject();
                return error;
            case "assistant":
                writer.WriteStartObject();
                writer.WriteString("role", "model");
                writer.WriteStartArray("parts");
                error = message["content"] is null ? null : WriteParts(writer, message["content"]);
                error ??= WriteFunctionCalls(writer, message["tool_calls"], state.ToolNames);
                writer.WriteEndArray();
                writer.WriteEndObject();
                return error;
            default:
                return $"Gemini has no message role '{role}'.";
        }
    }

    private static string? CollectText(JsonNode? content, List<string> into) =>
        ChatRequestJson.CollectText(content, into, static (text, _) => text);

    private static string? WriteParts(Utf8JsonWriter writer, JsonNode? content) =>
        ChatRequestJson.WriteParts(writer, content, WriteText, WritePart);

    private static string? WritePart(Utf8JsonWriter writer, JsonObject part) => Text(part["type"]) switch
    {
        "text" => Text(part["text"]) is { } partText ? WriteTextPart(writer, partText) : "A text part needs text.",
        "image_url" => WriteMedia(writer, part["image_url"] is JsonObject image ? Text(image["url"]) : Text(part["image_url"])),
        "input_audio" => WriteAudio(writer, part["input_audio"] as JsonObject),
        "file" => WriteMedia(writer, (part["file"] as JsonObject)?["file_data"] is { } data ? Text(data) : null),
        var type => $"Gemini cannot take a content part of type '{type}'.",
    };

    private static string? WriteTextPart(Utf8JsonWriter writer, string text)
    {
        WriteText(writer, text);
        return null;
    }

    private static void WriteText(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static string? WriteMedia(Utf8JsonWriter writer, string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return "A media part needs a URL or data.";
        }

        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            if (!ChatRequestJson.TrySplitBase64DataUri(url, out var mimeType, out var dataStart))
            {
                return "A data: URI must be base64-encoded.";
            }

            WriteInline(writer, mimeType.Length == 0 ? "application/octet-stream" : mimeType, url.AsSpan(dataStart));
            return null;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || MimeTypeOf(uri.AbsolutePath) is not { } guessed)
        {
            return $"Gemini needs the media type of '{url}': send it as a data: URI.";
        }

        writer.WriteStartObject();
        writer.WriteStartObject("file_data");
        writer.WriteString("mime_type", guessed);
        writer.WriteString("file_uri", url);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static string? WriteAudio(Utf8JsonWriter writer, JsonObject? audio)
    {
        if (audio is null || Text(audio["data"]) is not { } data || Text(audio["format"]) is not { } format)
        {
            return "An input_audio part needs data and format.";
        }

        WriteInline(writer, "audio/" + format.ToLowerInvariant(), data);
        return null;
    }

    private static void WriteInline(Utf8JsonWriter writer, string mimeType, ReadOnlySpan<char> base64)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("inline_data");
        writer.WriteString("mime_type", mimeType);
        writer.WriteString("data", base64);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string? MimeTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".webp" => "image/webp",
        ".gif" => "image/gif",
        ".heic" => "image/heic",
        ".heif" => "image/heif",
        ".pdf" => "application/pdf",
        ".mp3" => "audio/mp3",
        ".wav" => "audio/wav",
        ".flac" => "audio/flac",
        ".ogg" => "audio/ogg",
        ".mp4" => "video/mp4",
        ".webm" => "video/webm",
        ".mov" => "video/mov",
        _ => null,
    };

    private static string? WriteFunctionCalls(Utf8JsonWriter writer, JsonNode? toolCalls, Dictionary<string, string> toolNames)
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
            if (node is not JsonObject call || call["function"] is not JsonObject function || Text(function["name"]) is not { } name)
            {
                return "A tool call needs a function name.";
            }

            if (ChatRequestJson.ParseArguments(function, name, out var args) is { } argumentsError)
            {
                return argumentsError;
            }

            if (Text(call["id"]) is { } id)
            {
                toolNames[id] = name;
            }

            writer.WriteStartObject();
            writer.WriteStartObject("functionCall");
            writer.WriteString("name", name);
            writer.WritePropertyName("args");
            WriteNode(writer, args);
            writer.WriteEndObject();

            // Gemini's own OpenAI-compatible surface carries the thought signature here; newer models require it back.
            if (Text(call["extra_content"]?["google"]?["thought_signature"]) is { } signature)
            {
                writer.WriteString("thoughtSignature", signature);
            }

            writer.WriteEndObject();
        }

        return null;
    }

    private static string? WriteFunctionResponse(Utf8JsonWriter writer, JsonObject message, Dictionary<string, string> toolNames)
    {
        var name = Text(message["tool_call_id"]) is { } id && toolNames.TryGetValue(id, out var known) ? known : Text(message["name"]);
        if (name is null)
        {
            return "A tool message must answer a tool call of an earlier assistant message.";
        }

        var content = message["content"];
        var parts = new List<string>();
        if (content is not null && CollectText(content, parts) is not null)
        {
            return "A tool message needs text content.";
        }

        writer.WriteStartObject();
        writer.WriteStartObject("functionResponse");
        writer.WriteString("name", name);
        writer.WriteStartObject("response");
        writer.WriteString("content", string.Concat(parts));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static string? WriteTools(Utf8JsonWriter writer, JsonObject request)
    {
        if (request["tools"] is JsonArray { Count: > 0 } tools)
        {
            writer.WriteStartArray("tools");
            writer.WriteStartObject();
            writer.WriteStartArray("functionDeclarations");
            var toolsError = ChatRequestJson.WriteFunctions(writer, tools, "Gemini", static (writer, function) =>
            {
                if (function["parameters"] is JsonObject parameters)
                {
                    writer.WritePropertyName("parametersJsonSchema");
                    parameters.WriteTo(writer);
                }
            });
            if (toolsError is not null)
            {
                return toolsError;
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        var choice = request["tool_choice"];
        if (choice is null)
        {
            return null;
        }

        var mode = ChatRequestJson.ToolChoice(choice, out var only) switch
        {
            "none" => "NONE",
            "auto" => "AUTO",
            "required" or "function" => "ANY",
            _ => null,
        };
        if (mode is null)
        {
            return "tool_choice must be none, auto, required or a function.";
        }

        writer.WriteStartObject("toolConfig");
        writer.WriteStartObject("functionCallingConfig");
        writer.WriteString("mode", mode);
        if (only is not null)
        {
            writer.WriteStartArray("allowedFunctionNames");
            writer.WriteStringValue(only);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static string? WriteGenerationConfig(Utf8JsonWriter writer, JsonObject request)
    {
        var started = false;
        void Start()
        {
            if (!started)
            {
                writer.WriteStartObject("generationConfig");
                started = true;
            }
        }

        void Copy(string from, string to)
        {
            if (request[from] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
            {
                Start();
                writer.WritePropertyName(to);
                value.WriteTo(writer);
            }
        }

        Copy("temperature", "temperature");
        Copy("top_p", "topP");
        Copy("n", "candidateCount");
        Copy("seed", "seed");
        Copy("presence_penalty", "presencePenalty");
        Copy("frequency_penalty", "frequencyPenalty");
        Copy(request["max_completion_tokens"] is JsonValue ? "max_completion_tokens" : "max_tokens", "maxOutputTokens");

        if (ChatRequestJson.HasStopSequences(request["stop"]))
        {
            Start();
            ChatRequestJson.WriteStopSequences(writer, "stopSequences", request["stop"]);
        }

        string? error = null;
        if (request["response_format"] is JsonObject format)
        {
            switch (Text(format["type"]))
            {
                case "json_object":
                    Start();
                    writer.WriteString("responseMimeType", "application/json");
                    break;
                case "json_schema":
                    Start();
                    writer.WriteString("responseMimeType", "application/json");
                    if (format["json_schema"]?["schema"] is JsonObject schema)
                    {
                        writer.WritePropertyName("responseJsonSchema");
                        schema.WriteTo(writer);
                    }

                    break;
                case "text" or null:
                    break;
                case var other:
                    error = string.Create(CultureInfo.InvariantCulture, $"Gemini has no response_format '{other}'.");
                    break;
            }
        }

        if (started)
        {
            writer.WriteEndObject();
        }

        return error;
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    private static string? Text(JsonNode? node) => ChatRequestJson.Text(node);
}
