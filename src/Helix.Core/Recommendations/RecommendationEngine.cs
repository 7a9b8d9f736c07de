using System.Globalization;
using System.Text.Json.Nodes;
using Helix.Core.Pricing;
using Helix.Core.Routing;
using Helix.Core.Savings;

namespace Helix.Core.Recommendations;

/// <summary>Derives recommendations from the log and the price book; every projected saving is the <see cref="SavingsCalculator"/>'s for the same change.</summary>
/// <remarks>
/// <para>
/// For each enabled operation: a cheaper model (every priced catalog model of the operation's modality is replayed
/// against the operation's last <c>days</c> of calls; the largest positive saving is proposed, unless the candidate's
/// own calls in the log fail more than <see cref="MaxErrorRateIncrease"/> above the operation's current models, or its
/// feedback is worse than theirs by more than <see cref="QualityGate.MaxScoreDecrease"/> on
/// <see cref="QualityGate.MinRatedCalls"/> ratings a side, then it is listed as held back); for an operation that is not
/// latency-bound (<see cref="IsLatencyBound"/>), a cheaper service tier of the current primary where the price book has
/// one (<c>batch</c>, then <c>flex</c>) and, where the primary's price has time-of-day windows and most calls ran at a
/// dearer time, a price window (<see cref="PlannedChange.InPriceWindow"/>); the retirement of any model on the route that
/// has no price in force, or whose price rose in the window or is set to rise (priced with
/// <see cref="PlannedChange.PricesAsOf"/> at the old and the new entry); an output cap where calls ask for at least
/// <see cref="CapHeadroom"/> times what they use (<see cref="SuggestedCap"/>; no saving on spend, said in its evidence);
/// prompt caching where cacheable prompt prefixes repeat mostly uncached (priced by
/// <see cref="SavingsCalculator.CalculatePromptCachingAsync"/>). Candidates are replayed in rounds, one candidate
/// per operation per round, so a refresh reads the log once per round rather than once per pair. Projected monthly
/// savings are <see cref="SavingsReport.Monthly"/> of the operation's replayed savings, so a calculator run for the
/// same operation and model over the same window gives the same amount to the last digit.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class RecommendationEngine
{
    /// <summary>How much more often a candidate may fail in the log than the operation's current models and still be proposed.</summary>
    public const double MaxErrorRateIncrease = 0.05;

    /// <summary>The fewest calls setting an output cap that a cap recommendation needs.</summary>
    public const int MinCallsForCap = 20;

    /// <summary>How many times the suggested cap the median requested cap must be for a cap recommendation.</summary>
    public const int CapHeadroom = 4;

    private const int MinAttemptsForErrorEvidence = 20;
    private static readonly string[] s_cheaperTiers = ["batch", "flex"];

    private readonly SavingsCalculator _calculator;
    private readonly RequestPatternScanner _patterns;
    private readonly RouteTable _routes;
    private readonly CostEngine _costs;
    private readonly TimeProvider _time;

    /// <summary>Creates the engine.</summary>
    public RecommendationEngine(SavingsCalculator calculator, RequestPatternScanner patterns, RouteTable routes, CostEngine costs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        ArgumentNullException.ThrowIfNull(patterns);
        _patterns = patterns;
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(time);
        _calculator = calculator;
        _routes = routes;
        _costs = costs;
        _time = time;
    }

    /// <summary>Computes the recommendations the last <paramref name="days"/> days support.</summary>
    public async Task<IReadOnlyList<Recommendation>> ComputeAsync(int days = SavingsPlan.DefaultDays, CancellationToken cancellationToken = default)
    {
        var snapshot = _routes.Current;
        var to = _time.GetUtcNow();
        var from = to.AddDays(-days);
        var book = _costs.Book;
        var routes = snapshot.Routes.Where(r => r.Enabled && !r.Retired).ToArray();
        List<Recommendation> found = [];

        var candidates = routes.ToDictionary(
            r => r.Operation,
            r => snapshot.Models.Values
                .Where(m => m.Modality == r.Modality && !string.Equals(m.Id, r.PrimaryModel, StringComparison.OrdinalIgnoreCase) && book.TryFind(m.Provider, m.ProviderModel, to, out _))
                .OrderBy(m => m.Id, StringComparer.Ordinal)
                .ToArray(),
            StringComparer.OrdinalIgnoreCase);
        var best = new Dictionary<string, SavingsOperation>(StringComparer.OrdinalIgnoreCase);
        var replayed = new Dictionary<string, List<SavingsOperation>>(StringComparer.OrdinalIgnoreCase);
        var heldBack = new Dictionary<string, List<(SavingsOperation Operation, string Why)>>(StringComparer.OrdinalIgnoreCase);
        var rounds = candidates.Values.Select(c => c.Length).DefaultIfEmpty(0).Max();
        for (var round = 0; round < rounds; round++)
        {
            var plan = candidates.Where(c => c.Value.Length > round).Select(c => new PlannedChange(c.Key, c.Value[round].Id)).ToArray();
            var report = await _calculator.CalculateAsync(new SavingsPlan(plan, days), from, to, cancellationToken);
            if (!report.IsSuccess)
            {
                continue;
            }

            foreach (var operation in report.Value.Operations)
            {
                if (operation.Totals.RepricedCalls == 0 || FailsMore(operation))
                {
                    continue;
                }

                if (QualityGate.WhyBlocked(operation.CurrentModels, operation.Candidate) is { } why)
                {
                    if (operation.Totals.SavingsUsd > 0)
                    {
                        (heldBack.TryGetValue(operation.Operation, out var held) ? held : heldBack[operation.Operation] = []).Add((operation, why));
                    }

                    continue;
                }

                (replayed.TryGetValue(operation.Operation, out var all) ? all : replayed[operation.Operation] = []).Add(operation);
                if (operation.Totals.SavingsUsd <= 0)
                {
                    continue;
                }

                if (!best.TryGetValue(operation.Operation, out var current) || operation.Totals.SavingsUsd > current.Totals.SavingsUsd)
                {
                    best[operation.Operation] = operation;
                }
            }
        }

        foreach (var operation in best.Values.OrderBy(o => o.Operation, StringComparer.Ordinal))
        {
            found.Add(Make(RecommendationKinds.ModelChange, operation, days, to, evidence =>
            {
                if (heldBack.TryGetValue(operation.Operation, out var held))
                {
                    evidence["heldBackForQuality"] = HeldBack(held, days);
                }
            }));
        }

        var tierPlan = new List<PlannedChange>();
        foreach (var route in routes)
        {
            var primary = snapshot.Models[route.PrimaryModel];
            if (book.TryFind(primary.Provider, primary.ProviderModel, to, out var price)
                && s_cheaperTiers.FirstOrDefault(t => price.ServiceTiers.ContainsKey(t)) is { } tier)
            {
                tierPlan.Add(new PlannedChange(route.Operation, primary.Id, tier));
            }
        }

        if (tierPlan.Count > 0 && await _calculator.CalculateAsync(new SavingsPlan(tierPlan, days), from, to, cancellationToken) is { IsSuccess: true } tiers)
        {
            foreach (var operation in tiers.Value.Operations.Where(o => o.Totals.RepricedCalls > 0 && o.Totals.SavingsUsd > 0 && !IsLatencyBound(o)))
            {
                found.Add(Make(RecommendationKinds.Batch, operation, days, to, evidence => AddLatencyEvidence(evidence, operation)));
            }
        }

        await AddPriceWindowsAsync(found, snapshot, routes, days, from, to, cancellationToken);

        foreach (var (route, model, position) in RouteModels(routes, snapshot))
        {
            if (!book.TryFind(model.Provider, model.ProviderModel, to, out _))
            {
                var evidence = new JsonObject
                {
                    ["reason"] = $"no price is in force for {model.Id} now: its calls on operation '{route.Operation}' are unpriced, so neither budgets nor reports can count them",
                    ["position"] = position,
                    ["checkedAt"] = to.ToString("O", CultureInfo.InvariantCulture),
                };
                found.Add(Proposed(RecommendationKinds.Retire, route.Operation, evidence, to, model.Id));
            }
        }

        await AddRisingPricesAsync(found, snapshot, routes, replayed, days, from, to, cancellationToken);
        await AddCapsAndCachingAsync(found, snapshot, days, from, to, cancellationToken);
        return found;
    }

    /// <summary>
    /// Whether an operation's calls look latency-bound in the log: any of its served calls in the window was streamed.
    /// A caller streams because someone reads the answer as it arrives; one that waits for the whole answer can wait for
    /// a batch or an off-peak window, and the operator confirms it before moving the calls (these are never applied by Helix).
    /// </summary>
    public static bool IsLatencyBound(SavingsOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.StreamedCalls > 0;
    }

    // Off-peak windows: the primary's price in force has time-of-day windows, the operation is not latency-bound, and
    // most of its calls ran at a dearer time than the cheapest one.
    private async Task AddPriceWindowsAsync(List<Recommendation> found, RoutingSnapshot snapshot, RouteConfig[] routes, int days, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var book = _costs.Book;
        var windowed = new Dictionary<string, PriceEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var route in routes)
        {
            var primary = snapshot.Models[route.PrimaryModel];
            if (book.TryFind(primary.Provider, primary.ProviderModel, to, out var price) && price.TimeWindows.Count > 0)
            {
                windowed[route.Operation] = price;
            }
        }

        if (windowed.Count == 0)
        {
            return;
        }

        var plan = windowed.Keys.Select(o => new PlannedChange(o, snapshot.Models[routes.First(r => string.Equals(r.Operation, o, StringComparison.OrdinalIgnoreCase)).PrimaryModel].Id) { InPriceWindow = true }).ToArray();
        if (await _calculator.CalculateAsync(new SavingsPlan(plan, days), from, to, cancellationToken) is not { IsSuccess: true } report)
        {
            return;
        }

        foreach (var operation in report.Value.Operations)
        {
            if (operation.Totals.RepricedCalls == 0 || operation.Totals.SavingsUsd <= 0 || IsLatencyBound(operation)
                || operation.CallsOutsideCheapestWindow * 2 <= operation.Totals.RepricedCalls)
            {
                continue;
            }

            var price = windowed[operation.Operation];
            found.Add(Make(RecommendationKinds.PriceWindow, operation, days, to, evidence =>
            {
                evidence["windows"] = new JsonArray([.. price.TimeWindows.Select(w => (JsonNode)new JsonObject
                {
                    ["startUtc"] = w.StartUtc.ToString("HH:mm", CultureInfo.InvariantCulture),
                    ["endUtc"] = w.EndUtc.ToString("HH:mm", CultureInfo.InvariantCulture),
                    ["rates"] = Rates(w.Rates),
                })]);
                evidence["baseRates"] = Rates(price.Rates);
                evidence["priceSource"] = price.Source;
                evidence["priceSourceDate"] = price.SourceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                evidence["callsOutsideWindow"] = operation.CallsOutsideCheapestWindow;
                evidence["shareOutsideWindow"] = Text(decimal.Round((decimal)operation.CallsOutsideCheapestWindow / operation.Totals.RepricedCalls, 4));
                AddLatencyEvidence(evidence, operation);
                evidence["method"] = "each served call re-priced with its model's entry in force at its time, at the cheapest time of day of that entry on the call's own day (a window's start or end); calls already there keep their cost";
                evidence["note"] = "send these calls inside the window (a queue or a scheduled job in the callers); Helix cannot move them, so this is not applied by a route change";
            }));
        }
    }

    // A route's model whose price rose in the last `days` days, or whose book holds a later entry: retire it, with the
    // increase on the operation's calls priced by the calculator at the old and the new entry, and a cheaper replacement.
    private async Task AddRisingPricesAsync(
        List<Recommendation> found, RoutingSnapshot snapshot, RouteConfig[] routes, Dictionary<string, List<SavingsOperation>> replayed,
        int days, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var book = _costs.Book;
        foreach (var (route, model, position) in RouteModels(routes, snapshot))
        {
            if (!book.TryFind(model.Provider, model.ProviderModel, to, out var current) || PriceChange(book, model, current, from, to) is not { } change)
            {
                continue;
            }

            var before = await _calculator.CalculateAsync(new SavingsPlan([new PlannedChange(route.Operation, model.Id) { PricesAsOf = change.BeforeAt }], days), from, to, cancellationToken);
            var after = await _calculator.CalculateAsync(new SavingsPlan([new PlannedChange(route.Operation, model.Id) { PricesAsOf = change.AfterAt }], days), from, to, cancellationToken);
            if (!before.IsSuccess || !after.IsSuccess)
            {
                continue;
            }

            var old = before.Value.Operations[0].Totals;
            var risen = after.Value.Operations[0].Totals;
            var increase = risen.CandidateCostUsd - old.CandidateCostUsd;
            if (risen.RepricedCalls == 0 || increase <= 0)
            {
                continue;
            }

            var effective = change.AfterAt.ToString("O", CultureInfo.InvariantCulture);
            var evidence = new JsonObject
            {
                ["reason"] = change.Scheduled
                    ? $"the price of {model.Id} rises on {effective}: the operation's calls of the last {days} days would cost {Text(increase)} USD more at the new entry"
                    : $"the price of {model.Id} rose on {effective}: the operation's calls of the last {days} days cost {Text(increase)} USD more at the new entry than at the one before",
                ["trigger"] = "price_rising",
                ["position"] = position,
                ["scheduled"] = change.Scheduled,
                ["oldPrice"] = Entry(change.Before, change.BeforeAt),
                ["newPrice"] = Entry(change.After, change.AfterAt),
                ["windowDays"] = days,
                ["calls"] = risen.Calls,
                ["repricedCalls"] = risen.RepricedCalls,
                ["oldPriceCostUsd"] = Text(old.CandidateCostUsd),
                ["newPriceCostUsd"] = Text(risen.CandidateCostUsd),
                ["costIncreaseUsd"] = Text(increase),
                ["projectedMonthlyCostIncreaseUsd"] = Text(SavingsReport.Monthly(increase, days)),
                ["method"] = "the savings calculator replays the operation's served calls on this model twice, priced with the entry in force at oldPrice.pricedAsOf and at newPrice.pricedAsOf (pricesAsOf), each call at its own time of day; the increase is the difference, as if the model served every call",
                ["checkedAt"] = to.ToString("O", CultureInfo.InvariantCulture),
            };
            if (replayed.TryGetValue(route.Operation, out var others)
                && others.Where(o => !string.Equals(o.CandidateModel, model.Id, StringComparison.OrdinalIgnoreCase) && o.Totals.CandidateCostUsd < risen.CandidateCostUsd)
                    .MinBy(o => o.Totals.CandidateCostUsd) is { } replacement)
            {
                evidence["replacement"] = new JsonObject
                {
                    ["model"] = replacement.CandidateModel,
                    ["candidateCostUsd"] = Text(replacement.Totals.CandidateCostUsd),
                    ["projectedMonthlySavingsVsNewPriceUsd"] = Text(SavingsReport.Monthly(risen.CandidateCostUsd - replacement.Totals.CandidateCostUsd, days)),
                    ["candidate"] = Evidence(replacement.Candidate),
                    ["note"] = "the cheapest model the calculator priced below the new price on the same calls (at their own times' prices), not held back by errors or feedback; a model_change recommendation or an experiment moves the operation to it",
                };
            }

            found.Add(Proposed(RecommendationKinds.Retire, route.Operation, evidence, to, model.Id));
        }
    }

    // Every model a route names, primary first, with its position on the route.
    private static IEnumerable<(RouteConfig Route, ModelConfig Model, string Position)> RouteModels(RouteConfig[] routes, RoutingSnapshot snapshot)
    {
        foreach (var route in routes)
        {
            foreach (var id in route.FallbackModels.Prepend(route.PrimaryModel))
            {
                yield return (route, snapshot.Models[id], string.Equals(id, route.PrimaryModel, StringComparison.OrdinalIgnoreCase) ? "primary" : "fallback");
            }
        }
    }

    // The entry before and after a price change of the model: the next entry of its book after now (scheduled), else
    // the change that put the entry in force now, when it took effect in the window.
    private static (PriceEntry Before, DateTimeOffset BeforeAt, PriceEntry After, DateTimeOffset AfterAt, bool Scheduled)? PriceChange(
        PriceBook book, ModelConfig model, PriceEntry current, DateTimeOffset from, DateTimeOffset now)
    {
        var key = book.Resolve(model.Provider, model.ProviderModel);
        var next = book.Entries
            .Where(e => e.EffectiveFrom is { } start && start > now && string.Equals(PriceBook.Key(e.Provider, e.Model), key, StringComparison.Ordinal))
            .Select(e => e.EffectiveFrom!.Value)
            .Order()
            .Cast<DateTimeOffset?>()
            .FirstOrDefault();
        if (next is { } at && book.TryFind(model.Provider, model.ProviderModel, at, out var later) && !ReferenceEquals(later, current))
        {
            return (current, now, later, at, true);
        }

        if (current.EffectiveFrom is { } since && since > from && since <= now
            && book.TryFind(model.Provider, model.ProviderModel, since.AddTicks(-1), out var earlier) && !ReferenceEquals(earlier, current))
        {
            return (earlier, since.AddTicks(-1), current, since, false);
        }

        return null;
    }

    private static JsonObject Entry(PriceEntry entry, DateTimeOffset pricedAsOf) => new()
    {
        ["rates"] = Rates(entry.Rates),
        ["effectiveFrom"] = entry.EffectiveFrom?.ToString("O", CultureInfo.InvariantCulture),
        ["effectiveUntil"] = entry.EffectiveUntil?.ToString("O", CultureInfo.InvariantCulture),
        ["source"] = entry.Source,
        ["sourceDate"] = entry.SourceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["pricedAsOf"] = pricedAsOf.ToString("O", CultureInfo.InvariantCulture),
    };

    private static JsonObject Rates(PriceRates rates)
    {
        var json = new JsonObject();
        foreach (var (name, value) in (ReadOnlySpan<(string, decimal?)>)[("input", rates.Input), ("cacheRead", rates.CacheRead), ("output", rates.Output),
            ("audioPerMinute", rates.AudioPerMinute), ("charactersPerMillion", rates.CharactersPerMillion)])
        {
            if (value is { } v)
            {
                json[name] = Text(v);
            }
        }

        return json;
    }

    private static void AddLatencyEvidence(JsonObject evidence, SavingsOperation operation)
    {
        evidence["streamedCalls"] = operation.StreamedCalls;
        evidence["latencyBound"] = IsLatencyBound(operation);
        evidence["latencyEvidence"] = "none of the operation's served calls in the window was streamed, so no caller read the answer as it came; confirm the callers can wait before moving them";
    }

    private static JsonArray HeldBack(List<(SavingsOperation Operation, string Why)> held, int days) =>
        new([.. held.OrderByDescending(h => h.Operation.Totals.SavingsUsd).Take(5).Select(h => (JsonNode)new JsonObject
        {
            ["model"] = h.Operation.CandidateModel,
            ["projectedMonthlySavingsUsd"] = Text(SavingsReport.Monthly(h.Operation.Totals.SavingsUsd, days)),
            ["reason"] = h.Why,
        })]);

    // Output caps where the calls ask for far more than they use; prompt caching where prefixes repeat uncached.
    private async Task AddCapsAndCachingAsync(List<Recommendation> found, RoutingSnapshot snapshot, int days, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        foreach (var pattern in await _patterns.ScanAsync(from, to, cancellationToken))
        {
            if (!snapshot.TryGetRoute(pattern.Operation, out var decision) || !decision.Route.Enabled)
            {
                continue;
            }

            var route = decision.Route;
            if (pattern.CallsWithRequestedCap >= MinCallsForCap && pattern.RequestedCapMedian is { } asked && pattern.OutputP95 is { } p95
                && SuggestedCap(p95, pattern.MaxOutput) is var cap && asked >= CapHeadroom * cap && route.MaxOutputTokens != cap)
            {
                var evidence = new JsonObject
                {
                    ["windowDays"] = days,
                    ["servedCalls"] = pattern.ServedCalls,
                    ["callsWithRequestedCap"] = pattern.CallsWithRequestedCap,
                    ["requestedCapMedian"] = Math.Round(asked),
                    ["outputP95"] = Math.Round(p95),
                    ["maxOutput"] = pattern.MaxOutput,
                    ["maxOutputTokens"] = cap,
                    ["currentRouteCap"] = route.MaxOutputTokens,
                    ["savingsNote"] = "none on spend: no call in the window used more output than the suggested cap, so each re-prices unchanged. "
                        + "A lower cap lowers each call's worst case (what budgets reserve and approvals estimate) and bounds a runaway answer. "
                        + "The route's cap is sent when a call sets none; these calls set max_tokens themselves, so lower it in the callers too.",
                };
                found.Add(Proposed(RecommendationKinds.Cap, route.Operation, evidence, to));
            }

            var uncached = pattern.Prefixes.Where(p => p.CachedCalls * 2 < p.Calls).ToArray();
            if (uncached.Length == 0)
            {
                continue;
            }

            var prefixTokens = uncached.ToDictionary(p => p.Hash, p => p.MinInputTokens, StringComparer.Ordinal);
            var totals = await _calculator.CalculatePromptCachingAsync(route.Operation, prefixTokens, from, to, cancellationToken);
            if (totals.RepricedCalls == 0 || totals.SavingsUsd <= 0)
            {
                continue;
            }

            var caching = new JsonObject
            {
                ["windowDays"] = days,
                ["callsWithCacheablePrefix"] = pattern.CallsWithPrefix,
                ["callsWithRepeatedPrefix"] = uncached.Sum(p => p.Calls),
                ["repeatedPrefixes"] = new JsonArray([.. uncached.Take(5).Select(p => (JsonNode)new JsonObject
                {
                    ["hash"] = p.Hash,
                    ["calls"] = p.Calls,
                    ["cachedCalls"] = p.CachedCalls,
                    ["prefixTokensAtMost"] = p.MinInputTokens,
                })]),
                ["calls"] = totals.Calls,
                ["repricedCalls"] = totals.RepricedCalls,
                ["unpricedCalls"] = totals.UnpricedCalls,
                ["currentCostUsd"] = Text(totals.CurrentCostUsd),
                ["candidateCostUsd"] = Text(totals.CandidateCostUsd),
                ["savingsUsd"] = Text(totals.SavingsUsd),
                ["method"] = "each call after the first of a repeated prefix re-priced with the prefix's tokens as cache reads at the price book's cached-input rate; "
                    + "a prefix is taken as long as the shortest input of its calls, so this is an upper bound; cache writes, where a provider bills them, are not counted",
            };
            found.Add(Proposed(RecommendationKinds.Cache, route.Operation, caching, to, monthlySavingsUsd: SavingsReport.Monthly(totals.SavingsUsd, days)));
        }
    }

    /// <summary>The output cap suggested for calls using <paramref name="p95"/> at the 95th percentile and <paramref name="max"/> at most: twice the p95 or the maximum, whichever is larger, rounded up to 64 tokens.</summary>
    public static int SuggestedCap(double p95, long max)
    {
        var wanted = Math.Max(2 * p95, max);
        return (int)Math.Clamp(Math.Ceiling(Math.Max(wanted, 1) / 64) * 64, 64, RouteTable.MaxOutputTokensLimit);
    }

    private static bool FailsMore(SavingsOperation operation)
    {
        if (operation.Candidate.Attempts < MinAttemptsForErrorEvidence || operation.Candidate.ErrorRate is not { } candidate)
        {
            return false;
        }

        var current = operation.CurrentModels.Where(m => m.ErrorRate is not null).Select(m => m.ErrorRate!.Value).DefaultIfEmpty(0).Max();
        return candidate > current + MaxErrorRateIncrease;
    }

    private static Recommendation Make(string kind, SavingsOperation operation, int days, DateTimeOffset at, Action<JsonObject>? more = null)
    {
        var totals = operation.Totals;
        var evidence = new JsonObject
        {
            ["windowDays"] = days,
            ["calls"] = totals.Calls,
            ["repricedCalls"] = totals.RepricedCalls,
            ["unpricedCalls"] = totals.UnpricedCalls,
            ["currentCostUsd"] = Text(totals.CurrentCostUsd),
            ["candidateCostUsd"] = Text(totals.CandidateCostUsd),
            ["savingsUsd"] = Text(totals.SavingsUsd),
            ["savingsFraction"] = totals.SavingsFraction is { } f ? Text(f) : null,
            ["tokenCounts"] = operation.TokenCounts,
            ["currentModels"] = new JsonArray([.. operation.CurrentModels.Select(Evidence)]),
            ["candidate"] = Evidence(operation.Candidate),
            ["note"] = operation.Candidate.Attempts == 0
                ? "the candidate has no calls in the log yet: its quality and latency are unproven; run an experiment before changing the route"
                : operation.Candidate.MeanScore is { } score
                    ? $"the candidate's answers were rated {score.ToString("0.###", CultureInfo.InvariantCulture)} on average (-1 worst, 1 best) over {operation.Candidate.Ratings} feedback ratings; compare with the current models' before changing the route"
                    : "no feedback on the candidate's answers yet: its quality is unproven; run an experiment before changing the route",
        };
        more?.Invoke(evidence);
        return Proposed(kind, operation.Operation, evidence, at, operation.CandidateModel, operation.ServiceTier, SavingsReport.Monthly(totals.SavingsUsd, days));
    }

    // A recommendation Helix itself proposes at `at`.
    private static Recommendation Proposed(
        string kind, string operation, JsonObject evidence, DateTimeOffset at, string? model = null, string? serviceTier = null, decimal? monthlySavingsUsd = null) => new()
        {
            Kind = kind,
            Operation = operation,
            Model = model,
            ServiceTier = serviceTier,
            Evidence = evidence.ToJsonString(),
            ProjectedMonthlySavingsUsd = monthlySavingsUsd,
            Source = RecommendationService.HelixSource,
            ProposedBy = RecommendationService.HelixSource,
            CreatedAt = at,
            UpdatedAt = at,
        };

    private static JsonObject Evidence(ModelEvidence model) => new()
    {
        ["model"] = model.Model,
        ["attempts"] = model.Attempts,
        ["failures"] = model.Failures,
        ["errorRate"] = model.ErrorRate,
        ["latencyP50Ms"] = model.LatencyP50Ms,
        ["latencyP95Ms"] = model.LatencyP95Ms,
        ["feedbackRatings"] = model.Ratings,
        ["meanFeedbackScore"] = model.MeanScore is { } score ? Text(score) : null,
    };

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
