using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;

namespace Helix.Storage.Postgres;

/// <summary>How values are written to and read from columns: instants as UTC <c>timestamptz</c>, enums as lower-case words.</summary>
/// <remarks>
/// PostgreSQL keeps instants to the microsecond: an instant is written truncated to it (never rounded up, so that a
/// row never moves past a range's end) and read back as UTC. Decimals are <c>numeric</c>, exact as given. Enums are
/// written by explicit name, never by number, so that reordering an enum cannot re-mean stored rows.
/// </remarks>
internal static class PostgresValues
{
    private const long TicksPerMicrosecond = 10;

    /// <summary>The instant as PostgreSQL stores it: UTC, truncated to the microsecond.</summary>
    public static DateTimeOffset Timestamp(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>The smallest microsecond instant at or after <paramref name="value"/>: the exact bound of a range query.</summary>
    public static DateTimeOffset Ceiling(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        var rest = ticks % TicksPerMicrosecond;
        return new DateTimeOffset(rest == 0 ? ticks : ticks - rest + TicksPerMicrosecond, TimeSpan.Zero);
    }

    public static object Timestamp(DateTimeOffset? value) => value is { } v ? Timestamp(v) : DBNull.Value;

    public static DateTimeOffset ReadTimestamp(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static object OrNull(string? value) => value is null ? DBNull.Value : value;

    public static object OrNull(int? value) => value is { } v ? v : DBNull.Value;

    public static object OrNull(long? value) => value is { } v ? v : DBNull.Value;

    public static object OrNull(decimal? value) => value is { } v ? v : DBNull.Value;

    public static object OrNull(DateOnly? value) => value is { } v ? v : DBNull.Value;

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
