using Helix.Core.Budgets;
using Xunit;

namespace Helix.Core.Tests.Budgets;

public sealed class PeriodWindowTests
{
    [Fact]
    public void For_DayInLisbonSummer_StartsAtLocalMidnight()
    {
        var lisbon = TimeZoneInfo.FindSystemTimeZoneById("Europe/Lisbon");

        var window = PeriodWindow.For(BudgetPeriod.Day, lisbon, new DateTimeOffset(2026, 7, 1, 23, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 23, 0, 0, TimeSpan.Zero), window.Start);
        Assert.Equal(new DateTimeOffset(2026, 7, 2, 23, 0, 0, TimeSpan.Zero), window.End);
    }

    [Fact]
    public void For_MonthInUtc_RunsToTheFirstOfNextMonth()
    {
        var window = PeriodWindow.For(BudgetPeriod.Month, TimeZoneInfo.Utc, new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), window.Start);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), window.End);
        Assert.True(window.Contains(window.Start));
        Assert.False(window.Contains(window.End));
    }

    [Fact]
    public void For_DayWhoseMidnightIsSkippedByDaylightSaving_StartsAtTheFirstValidTime()
    {
        // Santiago springs forward at local midnight in September: the day starts at 01:00 local.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

        var window = PeriodWindow.For(BudgetPeriod.Day, santiago, new DateTimeOffset(2026, 9, 6, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 9, 6, 4, 0, 0, TimeSpan.Zero), window.Start);
        Assert.Equal(new DateTimeOffset(2026, 9, 7, 3, 0, 0, TimeSpan.Zero), window.End);
    }
}
