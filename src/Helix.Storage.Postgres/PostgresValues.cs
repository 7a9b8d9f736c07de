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
}
