using System.Globalization;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;

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

    public static string ToText(AttemptStatus value) => value switch
    {
        AttemptStatus.Success => "success",
        AttemptStatus.Failed => "failed",
        AttemptStatus.Cancelled => "cancelled",
        AttemptStatus.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown attempt status."),
    };

    public static AttemptStatus ToAttemptStatus(string value) => value switch
    {
        "success" => AttemptStatus.Success,
        "failed" => AttemptStatus.Failed,
        "cancelled" => AttemptStatus.Cancelled,
        "interrupted" => AttemptStatus.Interrupted,
        _ => throw Unknown("attempt status", value),
    };

    public static string ToText(CostStatus value) => value switch
    {
        CostStatus.Priced => "priced",
        CostStatus.Estimated => "estimated",
        CostStatus.Unpriced => "unpriced",
        CostStatus.NotBilled => "not_billed",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown cost status."),
    };

    public static CostStatus ToCostStatus(string value) => value switch
    {
        "priced" => CostStatus.Priced,
        "estimated" => CostStatus.Estimated,
        "unpriced" => CostStatus.Unpriced,
        "not_billed" => CostStatus.NotBilled,
        _ => throw Unknown("cost status", value),
    };

    public static string ToText(Modality value) => value switch
    {
        Modality.Chat => "chat",
        Modality.Embeddings => "embeddings",
        Modality.Transcription => "transcription",
        Modality.Speech => "speech",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown modality."),
    };

    public static Modality ToModality(string value) => value switch
    {
        "chat" => Modality.Chat,
        "embeddings" => Modality.Embeddings,
        "transcription" => Modality.Transcription,
        "speech" => Modality.Speech,
        _ => throw Unknown("modality", value),
    };

    public static string ToText(UnknownPricePolicy value) => value switch
    {
        UnknownPricePolicy.Flag => "flag",
        UnknownPricePolicy.Block => "block",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown price policy."),
    };

    public static UnknownPricePolicy ToUnknownPricePolicy(string value) => value switch
    {
        "flag" => UnknownPricePolicy.Flag,
        "block" => UnknownPricePolicy.Block,
        _ => throw Unknown("unknown-price policy", value),
    };

    private static InvalidDataException Unknown(string what, string value) =>
        new($"The database holds an unknown {what} '{value}'; it was written by a newer or foreign build.");
}
