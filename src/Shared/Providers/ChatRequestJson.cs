using System.Text.Json;
using System.Text.Json.Nodes;

namespace Helix.Providers.Shared;

/// <summary>Translates one message of an OpenAI request; says why it cannot be, or <see langword="null"/>.</summary>
internal delegate string? MessageWriter<in TState>(Utf8JsonWriter writer, string role, JsonObject message, TState state);

/// <summary>Reads an OpenAI chat-completions request the way every translating adapter does, and writes what they write alike.</summary>
/// <remarks>
/// The methods that can fail return why the request cannot be translated (a message for the caller), or
/// <see langword="null"/>; on a failure the body being written is discarded whole, so the writer is left as it is.
/// The request is only read. Stateless and thread-safe.
/// </remarks>
internal static class ChatRequestJson
{
    private const string Base64Suffix = ";base64";

    /// <summary>Writes the array <paramref name="name"/> of the turns the messages become.</summary>
    /// <remarks>
    /// Every message needs a role. <paramref name="writeMessage"/> translates each: a <c>tool</c> message into a part of
    /// the <c>user</c> turn that consecutive tool messages share (its parts array named <paramref name="partsName"/>),
    /// any other into a whole turn, or into <paramref name="state"/>.
    /// </remarks>
    public static string? WriteMessages<TState>(
        Utf8JsonWriter writer, string name, string partsName, JsonArray messages, TState state, MessageWriter<TState> writeMessage)
    {
        writer.WriteStartArray(name);
        var inToolTurn = false;
        foreach (var node in messages)
        {
            if (node is not JsonObject message || Text(message["role"]) is not { } role)
            {
                return "Every message needs a role.";
            }

            var isTool = role == "tool";
            if (isTool && !inToolTurn)
            {
                writer.WriteStartObject();
                writer.WriteString("role", "user");
                writer.WriteStartArray(partsName);
            }
            else if (!isTool && inToolTurn)
            {
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            inToolTurn = isTool;
            if (writeMessage(writer, role, message, state) is { } error)
            {
                return error;
            }
        }

        if (inToolTurn)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return null;
    }

    /// <summary>Collects the text of a system or tool message (a string or text parts), one item a part.</summary>
    /// <remarks><paramref name="toItem"/> makes an item of a text and the part it came from (<see langword="null"/> for a plain string).</remarks>
    public static string? CollectText<T>(JsonNode? content, List<T> into, Func<string, JsonObject?, T> toItem)
    {
        if (Text(content) is { } text)
        {
            into.Add(toItem(text, null));
            return null;
        }

        if (content is not JsonArray parts)
        {
            return "A system message needs text content.";
        }

        foreach (var part in parts)
        {
            if (part is not JsonObject p || Text(p["text"]) is not { } partText)
            {
                return "A system message may only hold text parts.";
            }

            into.Add(toItem(partText, p));
        }

        return null;
    }

    /// <summary>Writes message content: a string through <paramref name="writeText"/>, each part of an array through <paramref name="writePart"/>.</summary>
    public static string? WriteParts(
        Utf8JsonWriter writer, JsonNode? content, Action<Utf8JsonWriter, string> writeText, Func<Utf8JsonWriter, JsonObject, string?> writePart)
    {
        if (Text(content) is { } text)
        {
            writeText(writer, text);
            return null;
        }

        if (content is not JsonArray parts)
        {
            return "Message content must be a string or an array of parts.";
        }

        foreach (var node in parts)
        {
            if (node is not JsonObject part)
            {
                return "A content part must be an object.";
            }

            if (writePart(writer, part) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>Splits a base64 <c>data:</c> URI into its media type (empty when it names none) and where its data starts.</summary>
    /// <returns>Whether <paramref name="url"/>, which starts with <c>data:</c>, has data and is base64-encoded.</returns>
    public static bool TrySplitBase64DataUri(string url, out string mediaType, out int dataStart)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var header = comma < 0 ? default : url.AsSpan("data:".Length, comma - "data:".Length);
        if (!header.EndsWith(Base64Suffix, StringComparison.OrdinalIgnoreCase))
        {
            mediaType = string.Empty;
            dataStart = -1;
            return false;
        }

        mediaType = header[..^Base64Suffix.Length].ToString();
        dataStart = comma + 1;
        return true;
    }

    /// <summary>Parses the <c>arguments</c> of a tool call's function; none is an empty object.</summary>
    public static string? ParseArguments(JsonObject function, string name, out JsonNode? arguments)
    {
        try
        {
            arguments = Text(function["arguments"]) is { Length: > 0 } json ? JsonNode.Parse(json) : new JsonObject();
            return null;
        }
        catch (JsonException)
        {
            arguments = null;
            return $"The arguments of tool call '{name}' are not JSON.";
        }
    }

    /// <summary>Writes each function tool as an object with its <c>name</c> and <c>description</c>; <paramref name="writeParameters"/> adds its schema.</summary>
    /// <remarks><paramref name="provider"/> names the provider in the error about a tool that is not a named function.</remarks>
    public static string? WriteFunctions(Utf8JsonWriter writer, JsonArray tools, string provider, Action<Utf8JsonWriter, JsonObject> writeParameters)
    {
        foreach (var node in tools)
        {
            if (node is not JsonObject tool || tool["function"] is not JsonObject function || Text(function["name"]) is not { } name)
            {
                return $"{provider} takes only function tools with a name.";
            }

            writer.WriteStartObject();
            writer.WriteString("name", name);
            if (Text(function["description"]) is { } description)
            {
                writer.WriteString("description", description);
            }

            writeParameters(writer, function);
            writer.WriteEndObject();
        }

        return null;
    }

    /// <summary>The <c>tool_choice</c>: <c>none</c>, <c>auto</c>, <c>required</c>, or <c>function</c> with the function's name; <see langword="null"/> when it is none of these.</summary>
    public static string? ToolChoice(JsonNode choice, out string? function)
    {
        function = choice is JsonObject forced ? Text(forced["function"]?["name"]) : null;
        if (function is not null)
        {
            return "function";
        }

        var mode = Text(choice);
        return mode is "none" or "auto" or "required" ? mode : null;
    }

    /// <summary>Writes <c>stop</c> (a string or an array, whose strings are kept) as the array <paramref name="name"/>, when it is either.</summary>
    public static void WriteStopSequences(Utf8JsonWriter writer, string name, JsonNode? stop)
    {
        if (!HasStopSequences(stop))
        {
            return;
        }

        writer.WriteStartArray(name);
        if (stop is JsonArray stops)
        {
            foreach (var node in stops)
            {
                if (Text(node) is { } sequence)
                {
                    writer.WriteStringValue(sequence);
                }
            }
        }
        else
        {
            writer.WriteStringValue(Text(stop));
        }

        writer.WriteEndArray();
    }

    /// <summary>Whether <see cref="WriteStopSequences"/> writes <paramref name="stop"/>.</summary>
    public static bool HasStopSequences(JsonNode? stop) => stop is JsonArray || Text(stop) is not null;

    /// <summary>A string value, or <see langword="null"/> for anything else.</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
