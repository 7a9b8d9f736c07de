using System.Text.Json;

namespace Helix.Simulator.Wire;

/// <summary>Reads a request's JSON body once and the few values the simulator needs from it.</summary>
internal static class RequestJson
{
    /// <summary>Parses the body; <see langword="null"/> when it is not a JSON object.</summary>
    /// <param name="context">The request.</param>
    /// <param name="state">Where a provider call's request is counted as begun and, once its body is all in, as received; <see langword="null"/> for other requests.</param>
    public static async Task<JsonDocument?> ReadAsync(HttpContext context, SimulatorState? state = null)
    {
        state?.CountBegun();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            state?.CountReceived();
            return null;
        }

        state?.CountReceived();

        if (document.RootElement.ValueKind is JsonValueKind.Object)
        {
            return document;
        }

        document.Dispose();
        return null;
    }

    public static string? GetString(JsonElement obj, string name) =>
        obj.ValueKind is JsonValueKind.Object
        && obj.TryGetProperty(name, out var value)
        && value.ValueKind is JsonValueKind.String
            ? value.GetString()
            : null;

    public static long? GetInt64(JsonElement obj, string name) =>
        obj.ValueKind is JsonValueKind.Object
        && obj.TryGetProperty(name, out var value)
        && value.ValueKind is JsonValueKind.Number
        && value.TryGetInt64(out var number)
            ? number
            : null;

    public static double? GetDouble(JsonElement obj, string name) =>
        obj.ValueKind is JsonValueKind.Object
        && obj.TryGetProperty(name, out var value)
        && value.ValueKind is JsonValueKind.Number
            ? value.GetDouble()
            : null;

    public static bool GetBool(JsonElement obj, string name) =>
        obj.ValueKind is JsonValueKind.Object
        && obj.TryGetProperty(name, out var value)
        && value.ValueKind is JsonValueKind.True;

    public static JsonElement GetObject(JsonElement obj, string name) =>
        obj.ValueKind is JsonValueKind.Object
        && obj.TryGetProperty(name, out var value)
        && value.ValueKind is JsonValueKind.Object
            ? value
            : default;

    /// <summary>The property, or an undefined element when <paramref name="obj"/> is not an object or lacks it.</summary>
    public static JsonElement Get(JsonElement obj, string name) =>
        obj.ValueKind is JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    /// <summary>The property under either of its spellings (Gemini accepts camelCase and snake_case).</summary>
    public static JsonElement GetEither(JsonElement obj, string name, string alternative) =>
        obj.ValueKind is JsonValueKind.Object
        && (obj.TryGetProperty(name, out var value) || obj.TryGetProperty(alternative, out value))
            ? value
            : default;

    /// <summary>
    /// Characters of the text in a message's content: a string, or an array of parts whose <c>text</c> counts (and
    /// whose nested <c>content</c>, as in Anthropic's <c>tool_result</c>, counts too).
    /// </summary>
    public static long TextLength(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!.Length;
            case JsonValueKind.Array:
                long total = 0;
                foreach (var part in content.EnumerateArray())
                {
                    total += TextLength(part);
                }

                return total;
            case JsonValueKind.Object:
                long length = 0;
                if (content.TryGetProperty("text", out var text) && text.ValueKind is JsonValueKind.String)
                {
                    length += text.GetString()!.Length;
                }

                if (content.TryGetProperty("content", out var nested))
                {
                    length += TextLength(nested);
                }

                return length;
            default:
                return 0;
        }
    }
}
