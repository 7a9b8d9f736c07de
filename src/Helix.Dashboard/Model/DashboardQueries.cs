using Helix.Core.Budgets;
using Helix.Core.Feedback;
using Helix.Core.Insights;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;

namespace Helix.Dashboard.Model;

/// <summary>The dashboard's reads: Core services and stores in process, shaped for the pages.</summary>
/// <remarks>
/// Charts read the hourly rollups (<see cref="IInsightsStore"/>), budgets the in-memory ledger, routes and prices
/// their snapshots: nothing here scans the log, and nothing here is on a call's path. Thread-safe.
/// </remarks>
public sealed class DashboardQueries(
    IInsightsStore insights, IFeedbackStore feedback, BudgetService budgets, RouteTable routes, CostEngine costs, TimeProvider time)
{
    /// <summary>The clock pages use for "now".</summary>
    public TimeProvider Time => time;

    /// <summary>The overview of <paramref name="kind"/> ending today in <paramref name="zone"/>.</summary>
    public async Task<OverviewData> GetOverviewAsync(RangeKind kind, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        var range = ViewRange.Of(kind, zone, time.GetUtcNow());
        var usage = await insights.GetHourlyUsageAsync(range.From, range.To, cancellationToken);
        var latency = await insights.GetLatencyAsync(range.From, range.To, cancellationToken);
        var quality = await insights.GetQualityAsync(range.From, range.To, cancellationToken);

        var calls = new double[range.BucketCount];
        var failures = new double[range.BucketCount];
        long spentNanos = 0, totalCalls = 0, totalFailures = 0;
        Dictionary<string, (long Nanos, long Calls)> byOperation = new(StringComparer.Ordinal);
        Dictionary<string, long> byModel = new(StringComparer.Ordinal);
        foreach (var row in usage)
        {
            spentNanos += row.CostNanos;
            totalCalls += row.Calls;
            totalFailures += row.Failures;
            var bucket = range.BucketOf(row.Hour);
            if (bucket >= 0 && bucket < calls.Length)
            {
                calls[bucket] += row.Calls;
                failures[bucket] += row.Failures;
            }

            var op = byOperation.GetValueOrDefault(row.Operation);
            byOperation[row.Operation] = (op.Nanos + row.CostNanos, op.Calls + row.Calls);
            byModel[row.Model] = byModel.GetValueOrDefault(row.Model) + row.Attempts;
        }

        return new OverviewData
        {
            Range = range,
            SpentUsd = UsdNanos.ToUsd(spentNanos),
            Calls = totalCalls,
            Failures = totalFailures,
            Budgets = budgets.List(),
            CostByOperation = [.. byOperation.OrderByDescending(p => p.Value.Nanos).ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => (p.Key, UsdNanos.ToUsd(p.Value.Nanos), p.Value.Calls))],
            Models = [.. byModel.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))],
            BucketLabels = range.BucketLabels(),
            CallsOverTime = calls,
            FailuresOverTime = failures,
            Latency = LatencyByHourOfDay(latency, zone),
            Quality = quality,
        };
    }

    /// <summary>A page of the log, newest first.</summary>
    public Task<LogPage> SearchLogAsync(LogSearch search, CancellationToken cancellationToken = default) => insights.SearchAsync(search, cancellationToken);

    /// <summary>One call: its attempts, each with its cost per meter at the prices in force at its time, and its feedback.</summary>
    public async Task<CallDetail?> GetCallAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var attempts = await insights.GetCallAsync(requestId, cancellationToken);
        if (attempts.Count == 0)
        {
            return null;
        }

        var rated = await feedback.ListAsync(requestId, cancellationToken);
        var snapshot = routes.Current;
        return new CallDetail(requestId, [.. attempts.Select(entry => new AttemptDetail(entry, Breakdown(entry, snapshot)))], rated);
    }

    /// <summary>The operations in force, by name.</summary>
    public IReadOnlyList<RouteConfig> Routes() => [.. routes.Current.Routes.Where(r => !r.Retired).OrderBy(r => r.Operation, StringComparer.Ordinal)];

    /// <summary>The catalog's models of <paramref name="modality"/>, each with the price in force now (if any).</summary>
    public IReadOnlyList<ModelChoice> Models(Modality? modality = null)
    {
        var now = time.GetUtcNow();
        return [.. routes.Current.Models.Values
            .Where(m => modality is null || m.Modality == modality)
            .OrderBy(m => m.Id, StringComparer.Ordinal)
            .Select(m =>
            {
                costs.TryFindPrice(m.Provider, m.ProviderModel, null, now, out var price);
                return new ModelChoice(m, price);
            })];
    }

    /// <summary>Every price in force now, by provider and model.</summary>
    public IReadOnlyList<PriceEntry> PricesInForce()
    {
        var now = time.GetUtcNow();
        return [.. costs.Book.Entries.Where(e => e.AppliesAt(now)).OrderBy(e => e.Provider, StringComparer.Ordinal).ThenBy(e => e.Model, StringComparer.Ordinal)];
    }

    /// <summary>The budgets with their spend, reservations and what remains.</summary>
    public IReadOnlyList<BudgetView> Budgets() => budgets.List();

    private CostBreakdown? Breakdown(OperationLogEntry entry, RoutingSnapshot snapshot)
    {
        var model = snapshot.FindModel(entry.Model);
        if (model is null || !costs.TryFindPrice(entry.Provider, model.ProviderModel, entry.ReportedModel, entry.Timestamp, out var price) || price is null)
        {
            return null;
        }

        var result = CostCalculator.Calculate(price, entry.Meters, entry.ServiceTier, entry.Timestamp);
        return result.TotalUsd is null ? null : result.Breakdown;
    }

    private static List<LatencyRow> LatencyByHourOfDay(IReadOnlyList<LatencyCount> counts, TimeZoneInfo zone)
    {
        var buckets = LatencyHistogram.UpperBoundsMs.Count;
        Dictionary<string, long[][]> perModel = new(StringComparer.Ordinal);
        foreach (var count in counts)
        {
            if (!perModel.TryGetValue(count.Model, out var hours))
            {
                hours = new long[24][];
                for (var h = 0; h < 24; h++)
                {
                    hours[h] = new long[buckets];
                }

                perModel[count.Model] = hours;
            }

            var hour = TimeZoneInfo.ConvertTime(count.Hour, zone).Hour;
            if (count.Bucket >= 0 && count.Bucket < buckets)
            {
                hours[hour][count.Bucket] += count.Count;
            }
        }

        return [.. perModel.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new LatencyRow(
            p.Key,
            [.. p.Value.Select(h => LatencyHistogram.Percentile(h, 0.5))],
            [.. p.Value.Select(h => LatencyHistogram.Percentile(h, 0.95))]))];
    }
}
