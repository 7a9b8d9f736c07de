using Helix.Core.Insights;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Routing;

namespace Helix.Core.Savings;

/// <summary>Replays the operation log under a change of models: each served call's meters re-priced at the candidate's prices in force at the call's time.</summary>
/// <remarks>
/// <para>
/// Streams the window through <see cref="IOperationLogStore.ReadRangeAsync"/> (the store reads it in chunks) and keeps
/// only aggregates: per day, per operation, per model (attempts, failures, a latency histogram). A served call is a row
/// whose attempt succeeded; its current cost is the logged one (a later re-pricing counts). The candidate's cost is
/// <see cref="CostCalculator.Calculate"/> with the candidate's entry in force at the row's timestamp, the row's
/// meters (carried over as <see cref="TokenCountConversion"/> says) and the plan's service tier or the row's own.
/// A call that cannot be priced on both sides is counted as unpriced and left out of both sums, never as free.
/// A change may also price the calls in the cheapest time of day of their entry (<see cref="PlannedChange.InPriceWindow"/>)
/// or with the entry in force at another instant (<see cref="PlannedChange.PricesAsOf"/>).
/// </para>
/// <para>Thread-safe; the price book is read once per replay.</para>
/// </remarks>
public sealed class SavingsCalculator
{
    private const int MaxTierLength = 32;

    private readonly IOperationLogStore _log;
    private readonly CostEngine _costs;
    private readonly RouteTable _routes;
    private readonly TimeProvider _time;
    private readonly IInsightsStore? _insights;

    /// <summary>Creates a calculator over the log, the prices and the model catalog.</summary>
    /// <param name="log">The operation log to replay.</param>
    /// <param name="costs">The prices.</param>
    /// <param name="routes">The routes and the model catalog.</param>
    /// <param name="time">The clock.</param>
    /// <param name="insights">Where the feedback per model is read (its mean score beside the evidence); none without it.</param>
    public SavingsCalculator(IOperationLogStore log, CostEngine costs, RouteTable routes, TimeProvider time, IInsightsStore? insights = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(time);
        _log = log;
        _costs = costs;
        _routes = routes;
        _time = time;
        _insights = insights;
    }

    /// <summary>Replays the last <see cref="SavingsPlan.Days"/> days, ending now.</summary>
    /// <param name="plan">The operations and the models they would use.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <returns>The report, or the error naming what is wrong with the plan (nothing is read then).</returns>
    public Task<Result<SavingsReport>> CalculateAsync(SavingsPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var to = _time.GetUtcNow();
        return CalculateAsync(plan, to.AddDays(-plan.Days), to, cancellationToken);
    }

    /// <summary>Replays the calls with <c>from &lt;= Timestamp &lt; to</c>.</summary>
    /// <param name="plan">The operations and the models they would use; its <see cref="SavingsPlan.Days"/> scales the monthly projection.</param>
    /// <param name="from">The first instant (inclusive).</param>
    /// <param name="to">The last instant (exclusive).</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    public async Task<Result<SavingsReport>> CalculateAsync(SavingsPlan plan, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var checkedPlan = Check(plan);
        if (!checkedPlan.IsSuccess)
        {
            return checkedPlan.Error;
        }

        var targets = checkedPlan.Value;
        var book = new CostEngine(_costs.Book);
        var days = new SortedDictionary<DateOnly, SavingsTotals>();
        var operations = targets.ToDictionary(t => t.Key, _ => new OperationTally(), StringComparer.OrdinalIgnoreCase);
        var models = new Dictionary<string, ModelTally>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in _log.ReadRangeAsync(from, to, cancellationToken))
        {
            if (row.Status is AttemptStatus.Success or AttemptStatus.Failed)
            {
                ref var tally = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(models, row.Model, out _);
                (tally ??= new ModelTally()).Add(row);
            }

            if (row.Status != AttemptStatus.Success || !targets.TryGetValue(row.Operation, out var target))
            {
                continue;
            }

            var current = row.CostStatus == CostStatus.Unpriced ? null : row.EffectiveCostUsd;
            var operation = operations[row.Operation];
            decimal? candidate = null;
            if (book.TryFindPrice(target.Model.Provider, target.Model.ProviderModel, null, target.Change.PricesAsOf ?? row.Timestamp, out var price) && price is not null)
            {
                var tier = target.Change.ServiceTier ?? row.ServiceTier;
                var cost = CostCalculator.Calculate(price, row.Meters, tier, row.Timestamp);
                if (target.Change.InPriceWindow && cost.Status == CostStatus.Priced && CheapestTimeOfDay(price, row.Meters, tier, row.Timestamp) is { } cheapest
                    && cheapest.TotalUsd < cost.TotalUsd)
                {
                    cost = cheapest;
                    if (current is not null)
                    {
                        operation.OutsideWindow++;
                    }
                }

                candidate = cost.Status == CostStatus.Priced ? cost.TotalUsd : null;
            }

            if (row.Streamed)
            {
                operation.Streamed++;
            }

            operation.Totals = operation.Totals.Add(current, candidate);
            operation.Models.Add(row.Model);
            operation.Providers.Add(row.Provider);
            var day = DateOnly.FromDateTime(row.Timestamp.UtcDateTime);
            days[day] = (days.TryGetValue(day, out var dayTotals) ? dayTotals : SavingsTotals.Zero).Add(current, candidate);
        }

        var quality = _insights is null
            ? new Dictionary<string, ModelQuality>(StringComparer.OrdinalIgnoreCase)
            : (await _insights.GetQualityAsync(from, to, cancellationToken)).ToDictionary(q => q.Model, StringComparer.OrdinalIgnoreCase);
        var perOperation = targets.Values.Select(t =>
        {
            var tally = operations[t.Change.Operation];
            return new SavingsOperation(
                t.Change.Operation,
                t.Model.Id,
                t.Change.ServiceTier,
                tally.Totals,
                [.. tally.Models.Order(StringComparer.Ordinal).Select(m => Evidence(models, quality, m))],
                Evidence(models, quality, t.Model.Id),
                TokenCountConversion.Describe(tally.Providers, t.Model.Provider))
            {
                StreamedCalls = tally.Streamed,
                CallsOutsideCheapestWindow = tally.OutsideWindow,
                InPriceWindow = t.Change.InPriceWindow,
                PricesAsOf = t.Change.PricesAsOf,
            };
        }).ToArray();
        var totals = perOperation.Aggregate(SavingsTotals.Zero, (sum, o) => new SavingsTotals(
            sum.Calls + o.Totals.Calls, sum.RepricedCalls + o.Totals.RepricedCalls, sum.UnpricedCalls + o.Totals.UnpricedCalls,
            sum.CurrentCostUsd + o.Totals.CurrentCostUsd, sum.CandidateCostUsd + o.Totals.CandidateCostUsd));
        return new SavingsReport(
            from, to, totals, SavingsReport.Monthly(totals.SavingsUsd, plan.Days),
            [.. days.Select(d => new SavingsDay(d.Key, d.Value))],
            perOperation);
    }

    /// <summary>
    /// Replays an operation's calls as if their repeated prompt prefixes were read from the provider's cache: a call
    /// after the first with a prefix in <paramref name="prefixTokens"/> has that many of its uncached input tokens (at
    /// most all of them) billed as cache reads instead, at its own model's price in force at its time (the price
    /// book's cached-input rate); the first call of each prefix stays as it was (it fills the cache).
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="prefixTokens">Each prefix hash and the tokens taken as its length.</param>
    /// <param name="from">The first instant (inclusive).</param>
    /// <param name="to">The last instant (exclusive).</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <returns>The totals: calls with such a prefix, their current cost and their cost with the prefix cached; a call that cannot be priced on both sides is unpriced.</returns>
    public async Task<SavingsTotals> CalculatePromptCachingAsync(
        string operation, IReadOnlyDictionary<string, long> prefixTokens, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(prefixTokens);
        var book = new CostEngine(_costs.Book);
        var snapshot = _routes.Current;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var totals = SavingsTotals.Zero;
        await foreach (var row in _log.ReadRangeAsync(from, to, cancellationToken))
        {
            if (row.Status != AttemptStatus.Success || !row.UsageKnown || row.PromptPrefixHash is not { } hash
                || !string.Equals(row.Operation, operation, StringComparison.OrdinalIgnoreCase) || !prefixTokens.TryGetValue(hash, out var prefix))
            {
                continue;
            }

            var current = row.CostStatus == CostStatus.Unpriced ? null : row.EffectiveCostUsd;
            if (seen.Add(hash))
            {
                totals = totals.Add(current, current);
                continue;
            }

            decimal? candidate = null;
            var providerModel = snapshot.FindModel(row.Model)?.ProviderModel ?? row.Model[(row.Model.IndexOf('/', StringComparison.Ordinal) + 1)..];
            if (book.TryFindPrice(row.Provider, providerModel, row.ReportedModel, row.Timestamp, out var price) && price is not null)
            {
                var moved = Math.Min(prefix, row.Meters.InputTokens);
                var meters = row.Meters with { InputTokens = row.Meters.InputTokens - moved, CacheReadTokens = row.Meters.CacheReadTokens + moved };
                var cost = CostCalculator.Calculate(price, meters, row.ServiceTier, row.Timestamp);
                candidate = cost.Status == CostStatus.Priced ? cost.TotalUsd : null;
            }

            totals = totals.Add(current, candidate);
        }

        return totals;
    }

    // A provider's tier name (flex, priority, batch…): short ASCII words, nothing to escape in a log row or a CSV.
    private static bool IsTierName(string tier) =>
        tier.Length is > 0 and <= MaxTierLength && tier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    // A time window's rates hold from its start to its end, the base rates elsewhere: every stretch of the day at one
    // price begins at a window's start or end, so the cheapest time of day is the cheapest of those instants.
    private static CostResult? CheapestTimeOfDay(PriceEntry price, in UsageMeters meters, string? serviceTier, DateTimeOffset at)
    {
        CostResult? best = null;
        var day = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        foreach (var window in price.TimeWindows)
        {
            foreach (var boundary in (ReadOnlySpan<TimeOnly>)[window.StartUtc, window.EndUtc])
            {
                var cost = CostCalculator.Calculate(price, meters, serviceTier, day + boundary.ToTimeSpan());
                if (cost.Status == CostStatus.Priced && (best is null || cost.TotalUsd < best.Value.TotalUsd))
                {
                    best = cost;
                }
            }
        }

        return best;
    }

    private Result<Dictionary<string, Target>> Check(SavingsPlan plan)
    {
        if (plan.Days is < 1 or > SavingsPlan.MaxDays)
        {
            return GatewayError.InvalidRequest($"days must be a whole number from 1 to {SavingsPlan.MaxDays}.", "invalid_days");
        }

        if (plan.Changes is null || plan.Changes.Count == 0)
        {
            return GatewayError.InvalidRequest("The plan names no operation: give at least one operation and the model it would use.", "invalid_plan");
        }

        var snapshot = _routes.Current;
        var targets = new Dictionary<string, Target>(StringComparer.OrdinalIgnoreCase);
        foreach (var change in plan.Changes)
        {
            if (change is null || string.IsNullOrWhiteSpace(change.Operation))
            {
                return GatewayError.InvalidRequest("Each change names an operation.", "invalid_plan");
            }

            if (!OperationNames.IsValid(change.Operation.ToLowerInvariant()))
            {
                return GatewayError.InvalidRequest($"An operation name is {OperationNames.Rule}.", "invalid_plan");
            }

            if (change.ServiceTier is { } tier && !IsTierName(tier))
            {
                return GatewayError.InvalidRequest($"A service tier is 1 to {MaxTierLength} ASCII letters, digits, '-' and '_'.", "invalid_service_tier");
            }

            var model = string.IsNullOrWhiteSpace(change.Model) ? null : snapshot.FindModel(change.Model);
            if (model is null)
            {
                return GatewayError.InvalidRequest($"Unknown model '{change.Model}' for operation '{change.Operation}'.", "unknown_model");
            }

            var routed = snapshot.TryGetRoute(change.Operation, out var decision);
            if (routed && decision.Route.Modality != model.Modality)
            {
                return GatewayError.InvalidRequest($"Model '{model.Id}' serves {model.Modality} calls; operation '{change.Operation}' makes {decision.Route.Modality} calls.", "model_modality_mismatch");
            }

            var operation = routed ? decision.Route.Operation : change.Operation;
            if (!targets.TryAdd(operation, new Target(change with { Operation = operation }, model)))
            {
                return GatewayError.InvalidRequest($"Operation '{operation}' appears twice in the plan.", "invalid_plan");
            }
        }

        return targets;
    }

    private static ModelEvidence Evidence(Dictionary<string, ModelTally> models, Dictionary<string, ModelQuality> quality, string model)
    {
        var evidence = models.TryGetValue(model, out var tally)
            ? new ModelEvidence(model, tally.Attempts, tally.Failures, tally.Latency.Percentile(0.5), tally.Latency.Percentile(0.95))
            : new ModelEvidence(model, 0, 0, null, null);

        // The stored quality is 0..1; the evidence speaks the −1..1 scale of the experiments' quality guardrail.
        return quality.TryGetValue(model, out var rated) && rated.Ratings > 0
            ? evidence with { Ratings = rated.Ratings, MeanScore = Math.Round((2 * rated.MeanQuality) - 1, 4) }
            : evidence;
    }

    private sealed record Target(PlannedChange Change, ModelConfig Model);

    private sealed class OperationTally
    {
        public SavingsTotals Totals { get; set; } = SavingsTotals.Zero;

        public HashSet<string> Models { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> Providers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public long Streamed { get; set; }

        public long OutsideWindow { get; set; }
    }

    private sealed class ModelTally
    {
        public long Attempts { get; private set; }

        public long Failures { get; private set; }

        public LatencyHistogram Latency { get; } = new();

        public void Add(OperationLogEntry row)
        {
            Attempts++;
            if (row.Status == AttemptStatus.Failed)
            {
                Failures++;
            }
            else
            {
                Latency.Add(row.LatencyMs);
            }
        }
    }
}
