namespace Helix.Dashboard.Model;

/// <summary>A range in the viewer's time zone: its UTC bounds and its chart buckets.</summary>
/// <param name="Kind">Day, week or month.</param>
/// <param name="Zone">The viewer's time zone.</param>
/// <param name="From">The start (inclusive), midnight in <paramref name="Zone"/>.</param>
/// <param name="To">The end (exclusive): the next midnight in <paramref name="Zone"/>.</param>
public sealed record ViewRange(RangeKind Kind, TimeZoneInfo Zone, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The range of <paramref name="kind"/> ending today in <paramref name="zone"/>.</summary>
    public static ViewRange Of(RangeKind kind, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var localToday = TimeZoneInfo.ConvertTime(now, zone).Date;
        var days = kind switch { RangeKind.Week => 7, RangeKind.Month => 30, _ => 1 };
        var start = localToday.AddDays(1 - days);
        return new ViewRange(kind, zone, AtMidnight(start, zone), AtMidnight(localToday.AddDays(1), zone));
    }

    /// <summary>Whether buckets are hours (a day) or days.</summary>
    public bool Hourly => Kind == RangeKind.Day;

    /// <summary>The chart bucket of a UTC instant, as the index from the range's start.</summary>
    public int BucketOf(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var start = TimeZoneInfo.ConvertTime(From, Zone);
        return Hourly ? (int)Math.Floor((at - From).TotalHours) : (local.Date - start.Date).Days;
    }

    /// <summary>How many buckets the range has.</summary>
    public int BucketCount => Hourly ? (int)Math.Round((To - From).TotalHours) : Kind == RangeKind.Week ? 7 : 30;

    /// <summary>The label of each bucket: the hour (<c>14:00</c>) or the day (<c>12-04</c>), in the viewer's zone.</summary>
    public string[] BucketLabels()
    {
        var labels = new string[BucketCount];
        for (var i = 0; i < labels.Length; i++)
        {
            var at = Hourly ? From.AddHours(i) : From.AddDays(i);
            var local = TimeZoneInfo.ConvertTime(at, Zone);
            labels[i] = local.ToString(Hourly ? "HH:00" : "MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        return labels;
    }

    private static DateTimeOffset AtMidnight(DateTime localDate, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(localDate, DateTimeKind.Unspecified);

        // A midnight skipped by a DST change starts the day at the first instant that exists.
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(30);
        }

        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }
}
