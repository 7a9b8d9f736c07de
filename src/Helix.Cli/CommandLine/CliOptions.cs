using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Helix.Cli.CommandLine;

/// <summary>The kinds of option the commands share: flags, text, exact decimals and ISO-8601 instants, each with help.</summary>
/// <remarks>
/// A value that does not parse is a System.CommandLine parse error naming the option and what it takes, so the
/// command never runs with it (exit code 2).
/// </remarks>
internal static class CliOptions
{
    private static readonly string[] s_isoFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd"];

    /// <summary><c>--json</c>: print the answer as JSON, for scripts.</summary>
    public static Option<bool> Json(string description = "Print the gateway's answer as JSON.") => Flag("--json", description);

    /// <summary>A flag (takes no value).</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>An option that takes one text value, shown in help as <paramref name="valueName"/>.</summary>
    public static Option<string?> Text(string name, string valueName, string description, bool required = false) =>
        new(name) { HelpName = valueName, Description = description, Required = required };

    /// <summary>A decimal option in invariant notation (<c>0.01</c>), read exactly.</summary>
    public static Option<decimal?> Decimal(string name, string valueName, string description, bool required = false) =>
        new(name)
        {
            HelpName = valueName,
            Description = description,
            Required = required,
            CustomParser = result => Parse<decimal>(result, name, "a number such as 0.01",
                text => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : (decimal?)null),
        };

    /// <summary>An ISO-8601 instant option; a value without an offset is UTC, a date alone is its UTC midnight.</summary>
    public static Option<DateTimeOffset?> Instant(string name, string description, bool required = false) =>
        new(name)
        {
            HelpName = "ISO-8601",
            Description = description,
            Required = required,
            CustomParser = result => Parse(result, name, "an ISO-8601 time such as 2025-03-01T17:00:00Z", ParseInstant),
        };

    /// <summary>A positional argument (an id, a name, a file), shown in help as <c>&lt;NAME&gt;</c>.</summary>
    /// <remarks>A value that starts with a dash is refused as an unknown option rather than taken as the argument.</remarks>
    public static Argument<T> Argument<T>(string name, string description)
    {
        var argument = new Argument<T>(name) { Description = description };
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
            {
                result.AddError($"Unrecognized option '{token.Value}'.");
            }
        });
        return argument;
    }

    /// <summary>Reads an ISO-8601 instant as UTC (see <see cref="Instant"/>); <see langword="null"/> when it is not one.</summary>
    public static DateTimeOffset? ParseInstant(string text) =>
        DateTimeOffset.TryParseExact(
            text, s_isoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    private static T? Parse<T>(ArgumentResult result, string name, string expected, Func<string, T?> parse)
        where T : struct
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (parse(text) is { } value)
        {
            return value;
        }

        result.AddError($"{name} needs {expected}, not '{text}'.");
        return null;
    }
}
