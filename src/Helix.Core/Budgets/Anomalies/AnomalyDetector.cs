using Helix.Core.Budgets;

namespace Helix.Core.Budgets.Anomalies;

/// <summary>Compares each subject's last hour and day so far with its baseline; pure, for synthetic histories in tests.</summary>
/// <remarks>
/// <para>
/// Baseline of the last complete hour: the mean of the same hour of the week over the last
/// <see cref="BudgetsOptions.AnomalyBaselineWeeks"/> weeks that have any activity; when none has, the mean hour of
/// the last seven days before today (daily mean / 24). Baseline of the day so far (UTC): the same part of the same
/// weekday over those weeks, falling back to the recent daily mean scaled to the part of the day gone.
/// </para>
/// <para>
/// Spend above <see cref="BudgetsOptions.AnomalySpendFactor"/> × baseline, or calls above
/// <see cref="BudgetsOptions.AnomalyCallsFactor"/> × baseline, is an anomaly, provided the window's spend (or calls)
/// is at least the configured minimum and the baseline is not zero (a new subject has nothing to compare with).
/// Stateless and thread-safe.
/// </para>
/// </remarks>
public static class AnomalyDetector
{
    /// <summary>The history one evaluation needs, ending at <paramref name="now"/>.</summary>
    public static DateTimeOffset HistoryStart(DateTimeOffset now, BudgetsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return HourFloor(now).AddDays(-7 * options.AnomalyBaselineWeeks - 1);
    }

    /// <summary>The anomalies of every subject in <paramref name="history"/> (hourly buckets of one scope).</summary>
    public static IReadOnlyList<Anomaly> Evaluate(string scope, IEnumerable<ActivityBucket> history, DateTimeOffset now, BudgetsOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        List<Anomaly> found = [];
        foreach (var subject in history.GroupBy(b => b.Subject, StringComparer.Ordinal))
        {
            var hours = subject.ToDictionary(b => b.Hour.UtcTicks);
            var firstSeen = subject.Min(b => b.Hour);
            Evaluate(scope, subject.Key, hours, firstSeen, now, options, found);
        }

        return found;
    }

    private static void Evaluate(string scope, string subject, Dictionary<long, ActivityBucket> hours, DateTimeOffset firstSeen, DateTimeOffset now, BudgetsOptions options, List<Anomaly> found)
    {
        var currentHour = HourFloor(now);
        var lastHour = currentHour.AddHours(-1);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var hoursToday = (int)(currentHour - today).TotalHours;

        // Recent daily mean: the seven whole days before today.
        var (weekSpent, weekCalls) = Sum(hours, today.AddDays(-7), 7 * 24);
        var dailySpent = (decimal)weekSpent / 7;
        var dailyCalls = (decimal)weekCalls / 7;

        // The last complete hour.
        var (hourSpent, hourCalls) = Sum(hours, lastHour, 1);
        var (hourBase, hourBaseCalls, hourBasis) = SameTimeOfWeek(hours, firstSeen, lastHour, 1, options.AnomalyBaselineWeeks)
            ?? (dailySpent / 24, dailyCalls / 24, "recent daily mean");
        Check(scope, subject, "hour", hourSpent, hourCalls, hourBase, hourBaseCalls, hourBasis, options, found);

        // The day so far (its complete hours), once at least one hour has passed.
        if (hoursToday > 0)
        {
            var (daySpent, dayCalls) = Sum(hours, today, hoursToday);
            var (dayBase, dayBaseCalls, dayBasis) = SameTimeOfWeek(hours, firstSeen, today, hoursToday, options.AnomalyBaselineWeeks)
                ?? (dailySpent * hoursToday / 24, dailyCalls * hoursToday / 24, "recent daily mean");
            Check(scope, subject, "day", daySpent, dayCalls, dayBase, dayBaseCalls, dayBasis, options, found);
        }
    }

    private static void Check(string scope, string subject, string window, long spentNanos, long calls, decimal baseNanos, decimal baseCalls,
        string basis, BudgetsOptions options, List<Anomaly> found)
    {
        var spent = UsdNanos.ToUsd(spentNanos);
        var baseline = baseNanos / UsdNanos.PerUsd;
        if (baseline > 0 && spent >= options.AnomalyMinimumSpendUsd && spent > options.AnomalySpendFactor * baseline)
        {
            found.Add(new Anomaly("spend", scope, subject, window, spent, decimal.Round(baseline, 9), calls, decimal.Round(baseCalls, 2), basis));
        }

        if (baseCalls > 0 && calls >= options.AnomalyMinimumCalls && calls > options.AnomalyCallsFactor * baseCalls)
        {
            found.Add(new Anomaly("calls", scope, subject, window, spent, decimal.Round(baseline, 9), calls, decimal.Round(baseCalls, 2), basis));
        }
    }

    // The mean of the same window in each previous week since the subject was first seen; null if it is younger than a week.
    private static (decimal Spent, decimal Calls, string Basis)? SameTimeOfWeek(Dictionary<long, ActivityBucket> hours, DateTimeOffset firstSeen, DateTimeOffset start, int length, int weeks)
    {
        long spent = 0;
        long calls = 0;
        var active = 0;
        for (var week = 1; week <= weeks; week++)
        {
            var weekStart = start.AddDays(-7 * week);
            if (weekStart < firstSeen)
            {
                break;
            }

            active++;
            var (s, c) = Sum(hours, weekStart, length);
            spent += s;
            calls += c;
        }

        return active == 0 ? null : ((decimal)spent / active, (decimal)calls / active, $"same hour of week over {active} week(s)");
    }

    private static (long Spent, long Calls) Sum(Dictionary<long, ActivityBucket> hours, DateTimeOffset start, int length)
    {
        long spent = 0;
        long calls = 0;
        for (var i = 0; i < length; i++)
        {
            if (hours.TryGetValue(start.AddHours(i).UtcTicks, out var bucket))
            {
                spent += bucket.SpentNanos;
                calls += bucket.Calls;
            }
        }

        return (spent, calls);
    }

    private static DateTimeOffset HourFloor(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
}
