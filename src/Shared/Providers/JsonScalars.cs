using System.Buffers.Text;
using System.Text.Json;

namespace Helix.Providers.Shared;

/// <summary>Reads the scalars of provider usage objects leniently with a <see cref="Utf8JsonReader"/>.</summary>
/// <remarks>
/// Compiled into each adapter assembly as a linked source file. Usage objects are read leniently: a count that is
/// <c>null</c>, negative or not a number counts as 0, so one odd field never loses a whole report; malformed JSON
/// still throws <see cref="JsonException"/>. Stateless and thread-safe.
/// </remarks>
internal static class JsonScalars
{
    /// <summary>Reads the value after a property name as a token count.</summary>
    public static long ReadCount(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return CountOf(ref reader);
    }

    /// <summary>The count at the reader's current value token.</summary>
    public static long CountOf(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var whole))
                {
                    return Math.Max(0, whole);
                }

                var real = reader.GetDouble();
                return real > 0 && real < long.MaxValue ? (long)Math.Round(real) : 0;
            case JsonTokenType.String:
                return Utf8Parser.TryParse(reader.ValueSpan, out long parsed, out var consumed)
                    && consumed == reader.ValueSpan.Length && parsed > 0 ? parsed : 0;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                reader.Skip();
                return 0;
            default:
                return 0;
        }
    }

    /// <summary>Reads the value after a property name as a non-negative decimal (seconds of audio).</summary>
    public static decimal ReadDecimal(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetDecimal(out var value))
                {
                    return Math.Max(0m, value);
                }

                var real = reader.GetDouble();
                return real > 0 && real < (double)decimal.MaxValue ? (decimal)real : 0m;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                reader.Skip();
                return 0m;
            default:
                return 0m;
        }
    }

    /// <summary>Reads the value after a property name as a string; any other value reads as <see langword="null"/>.</summary>
    public static string? ReadString(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>Moves from a property name to its value; skips the value when it is not the expected container.</summary>
    public static bool TryEnter(ref Utf8JsonReader reader, JsonTokenType container)
    {
        Advance(ref reader);
        if (reader.TokenType == container)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>Moves to the next object of the array the reader is in, skipping entries that are not objects.</summary>
    /// <returns>Whether there is one; <see langword="false"/> at the array's end.</returns>
    public static bool NextObject(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>Moves from a property name to its value and skips it.</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        reader.Skip();
    }

    /// <summary>Starts a reader on a body, skipping a UTF-8 byte order mark.</summary>
    public static Utf8JsonReader Start(ReadOnlySpan<byte> body) =>
        new(body.StartsWith("\uFEFF"u8) ? body[3..] : body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });

    /// <summary>Reads the first token and says whether the body is a JSON object.</summary>
    /// <exception cref="JsonException">The body is not JSON.</exception>
    public static bool StartObject(ref Utf8JsonReader reader)
    {
        // An empty body throws here: the reader wants at least one token.
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>Moves from a property name to its value.</summary>
    /// <remarks>The reader holds the whole body, so JSON that ends inside a value throws here rather than returning false.</remarks>
    public static void Advance(ref Utf8JsonReader reader) => reader.Read();
}
