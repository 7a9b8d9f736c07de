using Helix.Core.Alerts;
using Helix.Core.Budgets;
using Helix.Core.Budgets.Anomalies;
using Xunit;

namespace Helix.Core.Tests.Budgets;

public sealed class AnomalyDetectorTests
{
    // A Wednesday, 14:10 UTC: the last complete hour is 13:00-14:00.
    private static readonly DateTimeOffset s_now = new(2026, 3, 4, 14, 10, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_lastHour = new(2026, 3, 4, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_HourAt2Point5TimesItsUsualSpend_OpensOneSpendAnomaly()
    {
        var history = FourWeeks("chat", usd: 1m, calls: 30).Append(new ActivityBucket("chat", s_lastHour, UsdNanos.Round(2.5m), 30));

        var found = AnomalyDetector.Evaluate("operation", Replace(history), s_now, new BudgetsOptions());

        var anomaly = Assert.Single(found);
        Assert.Equal(("spend", "operation", "chat", "hour"), (anomaly.Rule, anomaly.Scope, anomaly.Subject, anomaly.Window));
        Assert.Equal(2.5m, anomaly.SpentUsd);
        Assert.Equal(1m, anomaly.BaselineUsd);
        Assert.StartsWith("same hour of week over 4 week(s)", anomaly.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NormalVariation_OpensNone()
    {
        var random = new Random(42);
        var history = FourWeeks("chat", usd: 1m, calls: 30, vary: () => 0.6m + (decimal)random.NextDouble() * 0.8m);

        Assert.Empty(AnomalyDetector.Evaluate("operation", history, s_now, new BudgetsOptions()));
    }

    [Fact]
    public void Evaluate_CallsFourTimesUsual_OpensACallsAnomaly()
    {
        var history = FourWeeks("alice", usd: 1m, calls: 10).Append(new ActivityBucket("alice", s_lastHour, UsdNanos.Round(1m), 40));

        var found = AnomalyDetector.Evaluate("user", Replace(history), s_now, new BudgetsOptions());

        var anomaly = Assert.Single(found);
        Assert.Equal(("calls", 40L, 10m), (anomaly.Rule, anomaly.Calls, anomaly.BaselineCalls));
    }

    [Fact]
    public void Evaluate_NoSameHourHistory_FallsBackToTheRecentDailyMean()
    {
        // Only the last six days have activity (a subject younger than a week): 24 USD a day = 1 USD an hour.
        var history = Enumerable.Range(1, 6 * 24)
            .Select(h => new ActivityBucket("chat", s_now.Date.AddHours(-h), UsdNanos.PerUsd, 30))
            .Append(new ActivityBucket("chat", s_lastHour, UsdNanos.Round(3m), 30));

        var anomaly = Assert.Single(AnomalyDetector.Evaluate("operation", history, s_now, new BudgetsOptions()), a => a.Window == "hour");

        Assert.Equal("recent daily mean", anomaly.Basis);
        Assert.Equal(6m * 24 / 7 / 24, anomaly.BaselineUsd, 6);
    }

    [Fact]
    public void Evaluate_TinySpend_IsNeverAnAnomaly()
    {
        var history = FourWeeks("chat", usd: 0.0001m, calls: 1).Append(new ActivityBucket("chat", s_lastHour, UsdNanos.Round(0.001m), 1));

        Assert.Empty(AnomalyDetector.Evaluate("operation", Replace(history), s_now, new BudgetsOptions()));
    }

    [Fact]
    public void ToAlert_SameScopeAndRule_SharesOneDedupeKey()
    {
        var hour = new Anomaly("spend", "operation", "chat", "hour", 2.5m, 1m, 30, 30m, "same hour of week over 4 week(s)");
        var day = hour with { Window = "day", SpentUsd = 60m, BaselineUsd = 14m };

        var first = AnomalyService.ToAlert(hour, s_now);
        var second = AnomalyService.ToAlert(day, s_now);

        Assert.Equal(first.DedupeKey, second.DedupeKey);
        Assert.Equal("anomaly_spend", first.Type);
        Assert.Equal(2.5m, first.SpentUsd);
        Assert.Equal(1m, first.LimitUsd);
        Assert.Contains("spent 2.5 USD against a baseline of 1 USD in the last hour", first.Message, StringComparison.Ordinal);
        Assert.False(first.Once);
    }

    // Every hour of the four weeks before now (and today up to now) at the same spend and calls.
    private static IEnumerable<ActivityBucket> FourWeeks(string subject, decimal usd, long calls, Func<decimal>? vary = null)
    {
        var start = s_lastHour.AddDays(-28);
        for (var hour = start; hour <= s_lastHour; hour = hour.AddHours(1))
        {
            var factor = vary?.Invoke() ?? 1m;
            yield return new ActivityBucket(subject, hour, UsdNanos.Round(usd * factor), (long)Math.Round(calls * factor));
        }
    }

    // The last bucket given for an hour wins, as a store returns one bucket per hour.
    private static IEnumerable<ActivityBucket> Replace(IEnumerable<ActivityBucket> buckets) =>
        buckets.GroupBy(b => (b.Subject, b.Hour)).Select(g => g.Last());
}
