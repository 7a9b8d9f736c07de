using System.Text.Json;

namespace Helix.Gateway.Admin;

/// <summary>Checks an admin request's JSON object before any of it is read: known fields only, each once, and text every store can keep.</summary>
/// <remarks>
/// <see cref="JsonElement.GetString"/> throws on a lone surrogate escape (<c>"\ud800"</c>), and PostgreSQL refuses a
/// NUL character in text and JSON; both are refused here as a 400 instead of failing as a 500 later.
/// </remarks>
internal static class AdminJsonBody
{
    private const string LoneSurrogate = "The body holds a string that is not valid Unicode (a lone surrogate escape).";

    /// <summary>What is wrong with <paramref name="body"/>, or <see langword="null"/> when it is an object of <paramref name="allowed"/> fields, each once, with clean text throughout.</summary>
    public static string? Problem(JsonElement body, params ReadOnlySpan<string> allowed)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return "The body must be a JSON object.";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var property in body.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    return $"'{property.Name}' appears twice.";
                }

                if (!allowed.Contains(property.Name))
                {
                    return $"Unknown field '{Printable(property.Name)}': send {string.Join(", ", allowed.ToArray())}.";
                }
            }

        }
        catch (InvalidOperationException)
        {
            return LoneSurrogate;
        }

        return TextProblem(body);
    }

    /// <summary>What is wrong with the text in <paramref name="body"/> (a lone surrogate, a NUL), or <see langword="null"/> when every string and field name is clean.</summary>
    public static string? TextProblem(JsonElement body)
    {
        try
        {
            return BadText(body);
        }
        catch (InvalidOperationException)
        {
            return LoneSurrogate;
        }
    }

    // Every string and field name below value, read once: a lone surrogate throws, a NUL is reported.
    private static string? BadText(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.GetString()!.Contains('\0', StringComparison.Ordinal):
                return "Text may not hold a NUL character (\\u0000).";
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (property.Name.Contains('\0', StringComparison.Ordinal))
                    {
                        return "A field name may not hold a NUL character (\\u0000).";
                    }

                    if (BadText(property.Value) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (BadText(item) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string Printable(string name) => name.Length <= 64 && !name.Any(char.IsControl) ? name : "(unprintable)";
}
