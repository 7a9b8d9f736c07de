namespace Helix.Core.Budgets;

/// <summary>One period of a budget: from its start (inclusive) to its end (exclusive), in UTC.</summary>
/// <param name="Start">The first instant of the period.</param>
/// <param name="End">The first instant of the next period: when the budget resets.</param>
public readonly record struct PeriodWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The window of <paramref name="period"/> in <paramref name="zone"/> that holds <paramref name="at"/>.</summary>
    /// <remarks>A local midnight that a daylight-saving jump skips starts the period at the first valid local time after it.</remarks>
    public static PeriodWindow For(BudgetPeriod period, TimeZoneInfo zone, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var start = period == BudgetPeriod.Day ? local.Date : new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var end = period == BudgetPeriod.Day ? start.AddDays(1) : start.AddMonths(1);
        return new PeriodWindow(ToUtc(start, zone), ToUtc(end, zone));
    }

    /// <summary>Whether <paramref name="at"/> falls in the window.</summary>
    public bool Contains(DateTimeOffset at) => at >= Start && at < End;

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        // An ambiguous local time (a clock set back) is read as the earlier instant, so no spend falls between periods.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
