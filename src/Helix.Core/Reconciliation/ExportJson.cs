using System.Globalization;
using System.Text.Json;

namespace Helix.Core.Reconciliation;

/// <summary>Reading helpers for JSON exports whose errors name the format and the JSON path at fault.</summary>
internal static class ExportJson
{
    public static JsonDocument Parse(string content, string format)
    {
        try
        {
            return JsonDocument.Parse(content);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? (int)l + 1 : (int?)null;
            throw new BillingExportFormatException($"{format}: the export is not valid JSON (line {line?.ToString(CultureInfo.InvariantCulture) ?? "?"}): {ex.Message}", ex)
            {
                Line = line,
            };
        }
    }

    /// <summary>The pages of an export: the root object itself, or each object of a root array.</summary>
    public static IEnumerable<(JsonElement Page, string Path)> Pages(JsonElement root, string format)
    {
        if (root.ValueKind == JsonValueKind.Object)
        {
            yield return (root, "$");
            yield break;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw Error(format, "$", $"expected a page object or an array of pages, found {Describe(root)}");
        }

        var i = 0;
        foreach (var page in root.EnumerateArray())
        {
            var path = $"$[{i++}]";
            if (page.ValueKind != JsonValueKind.Object)
            {
                throw Error(format, path, $"expected a page object, found {Describe(page)}");
            }

            yield return (page, path);
        }
    }

    public static IEnumerable<(JsonElement Item, string Path)> Array(JsonElement obj, string name, string path, string format, bool required = true)
    {
        var itemPath = $"{path}.{name}";
        if (!obj.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                throw Error(format, itemPath, "missing; expected an array");
            }

            yield break;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Error(format, itemPath, $"expected an array, found {Describe(array)}");
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var p = $"{itemPath}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Error(format, p, $"expected an object, found {Describe(item)}");
            }

            yield return (item, p);
        }
    }

    public static JsonElement? Object(JsonElement obj, string name, string path, string format)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw Error(format, $"{path}.{name}", $"expected an object, found {Describe(value)}");
    }

    public static string? OptionalString(JsonElement obj, string name, string path, string format)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Error(format, $"{path}.{name}", $"expected a string, found {Describe(value)}");
    }

    public static string RequiredString(JsonElement obj, string name, string path, string format) =>
        OptionalString(obj, name, path, format) is { Length: > 0 } s
            ? s
            : throw Error(format, $"{path}.{name}", "missing; expected a non-empty string");

    /// <summary>A decimal read exactly from the JSON text: a number, or a string holding one.</summary>
    public static decimal? OptionalDecimal(JsonElement obj, string name, string path, string format)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var field = $"{path}.{name}";
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDecimal(out var d) ? d : throw Error(format, field, $"the number {value.GetRawText()} does not fit a decimal");
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return ParseDecimal(value.GetString(), format, field);
        }

        throw Error(format, field, $"expected a number, found {Describe(value)}");
    }

    public static decimal RequiredDecimal(JsonElement obj, string name, string path, string format) =>
        OptionalDecimal(obj, name, path, format) ?? throw Error(format, $"{path}.{name}", "missing; expected a number");

    public static long RequiredUnixSeconds(JsonElement obj, string name, string path, string format)
    {
        var field = $"{path}.{name}";
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Error(format, field, "missing; expected Unix seconds");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? seconds
            : throw Error(format, field, $"expected Unix seconds, found {Describe(value)}");
    }

    public static DateTimeOffset RequiredTimestamp(JsonElement obj, string name, string path, string format)
    {
        var text = RequiredString(obj, name, path, format);
        return ParseTimestamp(text, format, $"{path}.{name}");
    }

    public static DateTimeOffset ParseTimestamp(string text, string format, string field, int? line = null)
    {
        var t = text.Trim();
        if (t.EndsWith(" UTC", StringComparison.OrdinalIgnoreCase))
        {
            t = t[..^4];
        }

        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw Error(format, field, $"'{text}' is not a timestamp", line);
    }

    public static decimal ParseDecimal(string? text, string format, string field, int? line = null) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw Error(format, field, $"'{text}' is not a number", line);

    public static BillingExportFormatException Error(string format, string field, string problem, int? line = null) =>
        new(line is null ? $"{format}: {field}: {problem}." : $"{format}: line {line.Value.ToString(CultureInfo.InvariantCulture)}, {field}: {problem}.")
        {
            Field = field,
            Line = line,
        };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
        _ => "null",
    };
}
