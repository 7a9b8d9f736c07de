using System.Globalization;

namespace Helix.Storage.Sqlite;

/// <summary>How values are written to and read from columns: decimals and instants as invariant text, enums as lower-case words.</summary>
/// <remarks>
/// Decimals are TEXT because SQLite's REAL is a double: <c>0.000444696</c> must come back as exactly that.
/// Enums are written by explicit name, never by number, so that reordering an enum cannot re-mean stored rows.
/// </remarks>
internal static class SqliteValues
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const string DateFormat = "yyyy-MM-dd";

    // Timestamps written by SQL (strftime in the seed) have milliseconds; ours have ticks.
    private static readonly string[] s_timestampFormats = [TimestampFormat, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"];

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.ParseExact(value, s_timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static object FormatDate(DateOnly? value) =>
        value is { } date ? date.ToString(DateFormat, CultureInfo.InvariantCulture) : DBNull.Value;

    public static DateOnly ParseDate(string value) =>
        DateOnly.ParseExact(value, DateFormat, CultureInfo.InvariantCulture);

    public static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static object FormatDecimal(decimal? value) => value is { } d ? FormatDecimal(d) : DBNull.Value;

    public static decimal ParseDecimal(string value) =>
        decimal.Parse(value, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);

    public static object OrNull(string? value) => value is null ? DBNull.Value : value;

    public static object OrNull(int? value) => value is { } v ? v : DBNull.Value;
}
