using System.Globalization;

namespace Helix.Cli.CommandLine;

/// <summary>The options and positional arguments of one command line, checked against the command's options.</summary>
internal sealed class ParsedArguments
{
    private static readonly string[] s_isoFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd"];

    private readonly Dictionary<string, string?> _options;

    public ParsedArguments(Dictionary<string, string?> options, IReadOnlyList<string> positionals, bool helpRequested)
    {
        _options = options;
        Positionals = positionals;
        HelpRequested = helpRequested;
    }

    /// <summary>The arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Whether <c>--help</c> or <c>-h</c> was given.</summary>
    public bool HelpRequested { get; }

    /// <summary>Whether a flag (or an option) was given.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>An option's value, or <see langword="null"/> when it was not given.</summary>
    public string? Value(string name) => _options.TryGetValue(name, out var value) ? value : null;

    /// <summary>A decimal option in invariant notation (<c>0.01</c>).</summary>
    /// <exception cref="UsageException">The value is not a number.</exception>
    public decimal? Decimal(string name)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} needs a number such as 0.01, not '{text}'.");
    }

    /// <summary>An ISO-8601 instant option; a value without an offset is UTC, a date alone is its UTC midnight.</summary>
    /// <exception cref="UsageException">The value is not an ISO-8601 date or time.</exception>
    public DateTimeOffset? Instant(string name)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(
                text, s_isoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new UsageException($"--{name} needs an ISO-8601 time such as 2025-03-01T17:00:00Z, not '{text}'.");
    }
}
