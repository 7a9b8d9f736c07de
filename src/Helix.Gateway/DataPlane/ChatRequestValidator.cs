using System.Text.Json;
using System.Text.Json.Nodes;

namespace Helix.Gateway.DataPlane;

/// <summary>Checks a chat request against the types of OpenAI's request schema, at the edge, before anything is routed or spent.</summary>
/// <remarks>
/// Reads only the fields it checks, on the body the endpoint has already parsed (no second document): the known
/// top-level fields and, per message, <c>role</c>, <c>content</c> and the fields that name things. Unknown fields are
/// left alone, as an OpenAI-compatible upstream may know them. Strings Helix logs (<c>user</c>) are bounded and free of
/// control characters: refused, never truncated. Stateless and thread-safe.
/// </remarks>
internal static class ChatRequestValidator
{
    /// <summary>The longest <c>user</c> (and <c>X-Helix-User</c>) accepted: it is logged with every row.</summary>
    public const int MaxUserLength = 256;

    /// <summary>The most choices a call may ask for (OpenAI's own limit).</summary>
    public const int MaxChoices = 128;

    private static readonly string[] s_roles = ["system", "developer", "user", "assistant", "tool", "function"];

    /// <summary>Returns <see langword="null"/> when the body is valid, else the reason and the field to blame.</summary>
    public static (string Message, string Param)? Validate(JsonObject body)
    {
        foreach (var (name, value) in body)
        {
            var problem = name switch
            {
                "model" => String(value, name),
                "messages" => Messages(value),
                "max_tokens" or "max_completion_tokens" => Integer(value, name, 1, int.MaxValue),
                "n" => Integer(value, name, 1, MaxChoices),
                "top_logprobs" => Integer(value, name, 0, 20),
                "seed" => Integer(value, name, long.MinValue, long.MaxValue),
                "temperature" => Number(value, name, 0, 2),
                "top_p" => Number(value, name, 0, 1),
                "presence_penalty" or "frequency_penalty" => Number(value, name, -2, 2),
                "stream" or "logprobs" or "parallel_tool_calls" or "store" => Boolean(value, name),
                "stream_options" => StreamOptions(value),
                "stop" => Stop(value),
                "tools" => Tools(value),
                "tool_choice" => value is null or JsonObject || Kind(value) == JsonValueKind.String ? null : ($"'{name}' must be a string or an object.", name),
                "response_format" => ObjectWithType(value, name),
                "user" => User(value),
                "logit_bias" => MapOf(value, name, JsonValueKind.Number),
                "metadata" => MapOf(value, name, JsonValueKind.String),
                "service_tier" or "reasoning_effort" or "verbosity" or "prompt_cache_key" or "safety_identifier" => String(value, name),
                "modalities" => ArrayOfStrings(value, name, int.MaxValue),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="user"/> is short enough and has no control characters.</summary>
    public static bool IsValidUser(string user) => user.Length <= MaxUserLength && !HasControlCharacters(user);

    private static (string, string)? Messages(JsonNode? value)
    {
        if (value is not JsonArray { Count: > 0 } messages)
        {
            return ("'messages' is required and must be a non-empty array of message objects.", "messages");
        }

        // A field's path (messages[3].content) is built only for the answer that blames it: a valid call makes no strings.
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message)
            {
                var param = $"messages[{i}]";
                return ($"'{param}' must be an object with a 'role'.", param);
            }

            if (message["role"] is not JsonValue r || r.GetValueKind() != JsonValueKind.String || !IsRole(r))
            {
                var param = $"messages[{i}]";
                return ($"'{param}.role' must be one of {string.Join(", ", s_roles)}.", param + ".role");
            }

            if (message.TryGetPropertyValue("content", out var content) && Content(content, i) is { } problem)
            {
                return problem;
            }

            var field = !IsStringOrNull(message["name"]) ? "name"
                : !IsStringOrNull(message["tool_call_id"]) ? "tool_call_id"
                : null;
            if (field is not null)
            {
                return String(message[field], $"messages[{i}].{field}");
            }

            if (message["tool_calls"] is { } toolCalls && ArrayOfObjects(toolCalls, "tool_calls") is not null)
            {
                return ArrayOfObjects(toolCalls, $"messages[{i}].tool_calls");
            }
        }

        return null;
    }

    // Compared on the parsed bytes: no string per message.
    private static bool IsRole(JsonValue role)
    {
        if (!role.TryGetValue<JsonElement>(out var element))
        {
            return Array.IndexOf(s_roles, role.GetValue<string>()) >= 0;
        }

        foreach (var name in s_roles)
        {
            if (element.ValueEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsStringOrNull(JsonNode? value) => value is null || Kind(value) == JsonValueKind.String;

    private static (string, string)? Content(JsonNode? content, int message)
    {
        if (content is null || Kind(content) == JsonValueKind.String)
        {
            return null;
        }

        if (content is not JsonArray parts)
        {
            var param = $"messages[{message}].content";
            return ($"'{param}' must be a string or an array of content parts.", param);
        }

        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is not JsonObject part || part["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String)
            {
                var partParam = $"messages[{message}].content[{i}]";
                return ($"'{partParam}' must be an object with a string 'type'.", partParam);
            }

            var isText = type.TryGetValue<JsonElement>(out var element) ? element.ValueEquals("text"u8) : type.GetValue<string>() == "text";
            if (isText && Kind(part["text"]) != JsonValueKind.String)
            {
                var partParam = $"messages[{message}].content[{i}]";
                return ($"'{partParam}.text' must be a string.", partParam + ".text");
            }
        }

        return null;
    }

    private static (string, string)? StreamOptions(JsonNode? value) => value switch
    {
        null => null,
        JsonObject options => Boolean(options["include_usage"], "stream_options.include_usage"),
        _ => ("'stream_options' must be an object.", "stream_options"),
    };

    private static (string, string)? Stop(JsonNode? value) =>
        value is null || Kind(value) == JsonValueKind.String ? null : ArrayOfStrings(value, "stop", 4);

    private static (string, string)? Tools(JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value is not JsonArray tools)
        {
            return ("'tools' must be an array of tool objects.", "tools");
        }

        for (var i = 0; i < tools.Count; i++)
        {
            if (ObjectWithType(tools[i], "tools") is not null)
            {
                return ObjectWithType(tools[i], $"tools[{i}]");
            }

            if (tools[i]!["function"] is { } function
                && (function is not JsonObject f || Kind(f["name"]) != JsonValueKind.String))
            {
                var param = $"tools[{i}]";
                return ($"'{param}.function' must be an object with a string 'name'.", param + ".function");
            }
        }

        return null;
    }

    private static (string, string)? User(JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (Kind(value) != JsonValueKind.String)
        {
            return ("'user' must be a string.", "user");
        }

        return IsValidUser(value.GetValue<string>())
            ? null
            : ($"'user' must be at most {MaxUserLength} characters, without control characters.", "user");
    }

    private static (string, string)? ObjectWithType(JsonNode? value, string param) =>
        value is null || (value is JsonObject o && Kind(o["type"]) == JsonValueKind.String)
            ? null
            : ($"'{param}' must be an object with a string 'type'.", param);

    private static (string, string)? ArrayOfObjects(JsonNode? value, string param)
    {
        if (value is null)
        {
            return null;
        }

        if (value is JsonArray items)
        {
            foreach (var item in items)
            {
                if (item is not JsonObject)
                {
                    return ($"'{param}' must be an array of objects.", param);
                }
            }

            return null;
        }

        return ($"'{param}' must be an array of objects.", param);
    }

    private static (string, string)? ArrayOfStrings(JsonNode? value, string param, int maxCount)
    {
        if (value is null)
        {
            return null;
        }

        if (value is JsonArray items && items.Count <= maxCount)
        {
            foreach (var item in items)
            {
                if (Kind(item) != JsonValueKind.String)
                {
                    return ($"'{param}' must be an array of strings.", param);
                }
            }

            return null;
        }

        return maxCount == int.MaxValue
            ? ($"'{param}' must be an array of strings.", param)
            : ($"'{param}' must be a string or an array of at most {maxCount} strings.", param);
    }

    private static (string, string)? MapOf(JsonNode? value, string param, JsonValueKind kind)
    {
        if (value is null)
        {
            return null;
        }

        if (value is JsonObject map)
        {
            foreach (var (_, item) in map)
            {
                if (Kind(item) != kind)
                {
                    return ($"'{param}' must be an object whose values are {(kind == JsonValueKind.Number ? "numbers" : "strings")}.", param);
                }
            }

            return null;
        }

        return ($"'{param}' must be an object.", param);
    }

    private static (string, string)? String(JsonNode? value, string param) =>
        value is null || Kind(value) == JsonValueKind.String ? null : ($"'{param}' must be a string.", param);

    private static (string, string)? Boolean(JsonNode? value, string param) =>
        value is null || Kind(value) is JsonValueKind.True or JsonValueKind.False ? null : ($"'{param}' must be true or false.", param);

    private static (string, string)? Integer(JsonNode? value, string param, long min, long max)
    {
        if (value is null)
        {
            return null;
        }

        return value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var number) && number >= min && number <= max
            ? null
            : ($"'{param}' must be a whole number from {min} to {max}.", param);
    }

    private static (string, string)? Number(JsonNode? value, string param, double min, double max)
    {
        if (value is null)
        {
            return null;
        }

        return value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var number) && number >= min && number <= max
            ? null
            : ($"'{param}' must be a number from {min} to {max}.", param);
    }

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    internal static bool HasControlCharacters(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
