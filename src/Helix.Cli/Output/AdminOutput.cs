using System.Globalization;
using System.Text.Json;

namespace Helix.Cli.Output;

/// <summary>How the admin commands print the gateway's answers: JSON as it came for scripts, table cells for people.</summary>
internal static class AdminOutput
{
    /// <summary>Prints <paramref name="value"/> indented (<c>--json</c>).</summary>
    public static Task WriteJsonAsync(TextWriter writer, JsonElement value) =>
        writer.WriteLineAsync(JsonSerializer.Serialize(value, JsonOutput.Indented));

    /// <summary>The elements of an answer's <c>items</c> array (none when it has none).</summary>
    public static IEnumerable<JsonElement> Items(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray()
            : [];

    /// <summary>A property as a table cell: text as it is, numbers as written, <c>yes</c>/<c>no</c>, lists joined by commas, <c>-</c> when absent or null.</summary>
    public static string Cell(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) ? Cell(value) : "-";

    /// <summary>A value as a table cell (see <see cref="Cell(JsonElement, string)"/>).</summary>
    public static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : "-",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "-" : string.Join(", ", value.EnumerateArray().Select(Cell)),
        JsonValueKind.Object => value.GetRawText(),
        _ => "-",
    };

    /// <summary>An instant property as people read it: UTC, to the second.</summary>
    public static string Time(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "-";
}
