using System.Globalization;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;

namespace Helix.Core.Reconciliation;

/// <summary>Compares a provider's bill with the operation log, bucket by bucket, and names what does not match.</summary>
/// <remarks>
/// <para>
/// Buckets are (UTC day × canonical model). Bills can attribute costs to projects or workspaces, but the operation log
/// has no project yet, so costs are compared across projects (the report says so). Token classes are not buckets
/// either: a price wrong for one class shows as a model's bucket out of tolerance.
/// </para>
/// <para>
/// Our side counts the provider's rows that carry a cost: successful attempts, attempts whose cost is an estimate
/// (a cut stream is billed), and failed attempts priced from reported usage; rows the provider does not bill add
/// nothing. A row's cost is its <see cref="OperationLogEntry.EffectiveCostUsd"/> (re-priced when it was re-priced); its
/// model is the one the response reported, else the catalog model. Only days of the bill's period are compared, so
/// our calls on days the bill does not cover are left out, while our buckets on covered days the bill lacks and billed
/// buckets we never logged are reported as such. A bill line that carries a request id (Deepgram) is matched to our
/// call with the same <see cref="OperationLogEntry.ProviderRequestId"/> first, whatever day our clock put it on; only
/// unmatched calls fall back to day × model.
/// </para>
/// <para>
/// A difference is within tolerance when |ours − theirs| ≤ max(<see cref="ReconciliationOptions.Tolerance"/> × |theirs|,
/// <see cref="ReconciliationOptions.AbsoluteToleranceUsd"/>). Amounts are summed unrounded; only the percentage shown is
/// rounded. Stateless apart from its clock; thread-safe.
/// </para>
/// </remarks>
public sealed class Reconciler
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a reconciler.</summary>
    /// <param name="timeProvider">The clock that stamps each report's <see cref="ReconciliationReport.CreatedAt"/>.</param>
    public Reconciler(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>Reconciles a parsed export over the days it covers (or those <paramref name="options"/> set).</summary>
    /// <param name="export">The provider's bill.</param>
    /// <param name="ours">Operation log rows; rows of other providers are ignored.</param>
    /// <param name="options">Tolerances and period; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The export has lines of another provider, or neither it nor the options give a period.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative.</exception>
    public ReconciliationReport Reconcile(BillingExport export, IEnumerable<OperationLogEntry> ours, ReconciliationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(export);
        return Reconcile(export.Provider, export.Lines, export.From, export.To, ours, options ?? ReconciliationOptions.Default);
    }

    /// <summary>Reconciles billed lines over the days they span (or those <paramref name="options"/> set).</summary>
    /// <param name="provider">The Helix provider id (<c>google</c> is read as <c>gemini</c>).</param>
    /// <param name="billed">The provider's billed lines.</param>
    /// <param name="ours">Operation log rows; rows of other providers are ignored.</param>
    /// <param name="options">Tolerances and period.</param>
    /// <exception cref="ArgumentException">A line is of another provider, or there are no lines and the options give no period.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is negative.</exception>
    public ReconciliationReport Reconcile(
        string provider, IReadOnlyList<BilledLine> billed, IEnumerable<OperationLogEntry> ours, ReconciliationOptions options) =>
        Reconcile(provider, billed, null, null, ours, options);

    private ReconciliationReport Reconcile(
        string provider,
        IReadOnlyList<BilledLine> billed,
        DateOnly? exportFrom,
        DateOnly? exportTo,
        IEnumerable<OperationLogEntry> ours,
        ReconciliationOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(billed);
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tolerance);
        ArgumentOutOfRangeException.ThrowIfNegative(options.AbsoluteToleranceUsd);

        var p = BilledModelNames.NormalizeProvider(provider);
        foreach (var line in billed)
        {
            if (BilledModelNames.NormalizeProvider(line.Provider) != p)
            {
                throw new ArgumentException($"A billed line is of provider '{line.Provider}', not '{p}'; reconcile one provider at a time.", nameof(billed));
            }
        }

        var from = options.From ?? exportFrom ?? (billed.Count > 0 ? billed.Min(l => l.Day) : null);
        var to = options.To ?? exportTo ?? (billed.Count > 0 ? billed.Max(l => l.Day) : null);
        if (from is not { } first || to is not { } last)
        {
            throw new ArgumentException("The bill has no lines and no period; set ReconciliationOptions.From and To.", nameof(billed));
        }

        if (first > last)
        {
            throw new ArgumentException($"The period starts ({first:yyyy-MM-dd}) after it ends ({last:yyyy-MM-dd}).", nameof(options));
        }

        var run = new Run(p, first, last, options);
        foreach (var line in billed)
        {
            run.AddBilled(line);
        }

        foreach (var entry in ours)
        {
            run.AddOurs(entry);
        }

        return run.Report(_timeProvider.GetUtcNow());
    }

    /// <summary>Whether a row carries a cost the provider billed.</summary>
    private static bool Counts(OperationLogEntry entry) =>
        entry.CostStatus != CostStatus.NotBilled
        && (entry.Status == AttemptStatus.Success
            || entry.CostStatus == CostStatus.Estimated
            || (entry.CostStatus == CostStatus.Priced && entry.EffectiveCostUsd > 0m));

    private static long Tokens(OperationLogEntry entry) =>
        entry.Meters.PromptTokens + entry.Meters.ToolPromptTokens + entry.Meters.CompletionTokens;

    /// <summary>One reconciliation in progress: the tallies of both sides.</summary>
    private sealed class Run(string provider, DateOnly from, DateOnly to, ReconciliationOptions options)
    {
        private readonly Dictionary<(DateOnly Day, string Model), Tally> _buckets = [];
        private readonly Dictionary<string, BilledRequest> _billedRequests = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _projects = new(StringComparer.Ordinal);
        private int _billedOutsidePeriod;
        private int _oursOutsidePeriod;

        public void AddBilled(BilledLine line)
        {
            if (line.Day < from || line.Day > to)
            {
                _billedOutsidePeriod++;
                return;
            }

            if (line.Project is { } project)
            {
                _projects.Add(project);
            }

            var model = ModelKey(line.Model);
            if (line.RequestId is not { } requestId)
            {
                At(line.Day, model).AddBilled(line);
                return;
            }

            if (!_billedRequests.TryGetValue(requestId, out var request))
            {
                request = new BilledRequest(requestId, line.Day, model);
                _billedRequests.Add(requestId, request);
            }

            request.Lines.Add(line);
        }

        public void AddOurs(OperationLogEntry entry)
        {
            if (!string.Equals(BilledModelNames.NormalizeProvider(entry.Provider), provider, StringComparison.Ordinal) || !Counts(entry))
            {
                return;
            }

            if (entry.ProviderRequestId is { } requestId && _billedRequests.TryGetValue(requestId, out var request))
            {
                request.Ours.AddOurs(entry);
                return;
            }

            var day = DateOnly.FromDateTime(entry.Timestamp.UtcDateTime);
            if (day < from || day > to)
            {
                _oursOutsidePeriod++;
                return;
            }

            At(day, ModelKey(entry.ReportedModel ?? BilledModelNames.ModelPart(entry.Model))).AddOurs(entry);
        }

        public ReconciliationReport Report(DateTimeOffset now)
        {
            List<RequestMismatch> mismatches = [];
            var matched = 0;
            foreach (var request in _billedRequests.Values.OrderBy(r => r.Day).ThenBy(r => r.RequestId, StringComparer.Ordinal))
            {
                var tally = At(request.Day, request.Model);
                var theirs = 0m;
                foreach (var line in request.Lines)
                {
                    tally.AddBilled(line);
                    theirs += line.AmountUsd;
                }

                if (request.Ours.OurCalls == 0)
                {
                    continue;
                }

                matched++;
                tally.Merge(request.Ours);
                tally.MatchedRequests++;
                if (!Within(request.Ours.OursUsd - theirs, theirs))
                {
                    tally.MismatchedRequests++;
                    mismatches.Add(new RequestMismatch(
                        request.RequestId, request.Day, request.Model, request.Ours.OursUsd, theirs, request.Ours.OursUsd - theirs));
                }
            }

            List<ReconciliationBucket> buckets = [];
            var oursTotal = 0m;
            var theirsTotal = 0m;
            var unpriced = 0;
            foreach (var ((day, model), t) in _buckets.OrderBy(b => b.Key.Day).ThenBy(b => b.Key.Model, StringComparer.Ordinal))
            {
                var presence = t.OurCalls > 0 && t.BilledLines > 0 ? BucketPresence.Both
                    : t.OurCalls > 0 ? BucketPresence.OnlyInLog
                    : BucketPresence.OnlyInBill;
                var (difference, percent, within) = Compare(t.OursUsd, t.TheirsUsd);
                long? billedTokens = t.HasBilledQuantity && !t.BilledQuantityIncomplete ? t.BilledTokens : null;
                buckets.Add(new ReconciliationBucket
                {
                    Day = day,
                    Model = model,
                    Presence = presence,
                    OursUsd = t.OursUsd,
                    TheirsUsd = t.TheirsUsd,
                    DifferenceUsd = difference,
                    DifferencePercent = percent,
                    WithinTolerance = within,
                    OurCalls = t.OurCalls,
                    UnpricedCalls = t.UnpricedCalls,
                    BilledLines = t.BilledLines,
                    MatchedRequests = t.MatchedRequests,
                    OurTokens = t.OurTokens,
                    BilledTokens = billedTokens,
                    Explanation = Explain(t, presence, within, billedTokens),
                });
                oursTotal += t.OursUsd;
                theirsTotal += t.TheirsUsd;
                unpriced += t.UnpricedCalls;
            }

            var (totalDifference, totalPercent, totalWithin) = Compare(oursTotal, theirsTotal);
            // A model can be off in every bucket by less than the absolute floor yet clearly off over the period:
            // its period total is compared too, so a low-volume mispriced model is still named.
            var offOverPeriod = buckets
                .Where(b => b.Presence == BucketPresence.Both)
                .GroupBy(b => b.Model, StringComparer.Ordinal)
                .Where(g => !Compare(g.Sum(b => b.OursUsd), g.Sum(b => b.TheirsUsd)).Within)
                .Select(g => g.Key)
                .ToArray();
            var mispriced = buckets
                .Where(b => b.Presence == BucketPresence.Both
                    && (!b.WithinTolerance || _buckets[(b.Day, b.Model)].MismatchedRequests > 0))
                .Select(b => b.Model)
                .Concat(offOverPeriod)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToArray();

            return new ReconciliationReport
            {
                Provider = provider,
                From = from,
                To = to,
                CreatedAt = now,
                Passed = totalWithin && buckets.TrueForAll(b => b.WithinTolerance) && mismatches.Count == 0 && offOverPeriod.Length == 0,
                Tolerance = options.Tolerance,
                AbsoluteToleranceUsd = options.AbsoluteToleranceUsd,
                Totals = new ReconciliationTotals
                {
                    OursUsd = oursTotal,
                    TheirsUsd = theirsTotal,
                    DifferenceUsd = totalDifference,
                    DifferencePercent = totalPercent,
                    WithinTolerance = totalWithin,
                },
                Buckets = buckets,
                MispricedModels = mispriced,
                RequestMismatches = mismatches,
                Notes = Notes(now, matched, unpriced),
            };
        }

        private List<string> Notes(DateTimeOffset now, int matched, int unpriced)
        {
            List<string> notes = [];
            if (_projects.Count > 0)
            {
                var shown = string.Join(", ", _projects.Take(5)) + (_projects.Count > 5 ? ", …" : string.Empty);
                notes.Add(Invariant($"The bill attributes costs to {_projects.Count} project(s) ({shown}); the operation log has no projects yet, so buckets are day × model across projects."));
            }

            if (_billedRequests.Count > 0)
            {
                notes.Add(Invariant($"{matched} of {_billedRequests.Count} billed requests were matched to our calls by request id; the rest were compared by day and model."));
            }

            if (unpriced > 0)
            {
                notes.Add(Invariant($"{unpriced} of our calls have no price and add nothing to our side."));
            }

            if (_oursOutsidePeriod > 0)
            {
                notes.Add(Invariant($"{_oursOutsidePeriod} of our calls fall outside {from:yyyy-MM-dd}..{to:yyyy-MM-dd} and were not compared."));
            }

            if (_billedOutsidePeriod > 0)
            {
                notes.Add(Invariant($"{_billedOutsidePeriod} billed lines fall outside {from:yyyy-MM-dd}..{to:yyyy-MM-dd} and were not compared."));
            }

            var settled = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-2);
            if (provider == "gemini" && to > settled)
            {
                notes.Add(Invariant($"Cloud Billing loads late rows for up to two days: days after {settled:yyyy-MM-dd} may still be incomplete."));
            }

            return notes;
        }

        private string? Explain(Tally t, BucketPresence presence, bool within, long? billedTokens)
        {
            switch (presence)
            {
                case BucketPresence.OnlyInBill:
                    return "billed but never logged: calls made around the gateway, a lost log, or a model the log names differently";
                case BucketPresence.OnlyInLog:
                    return t.UnpricedCalls > 0
                        ? Invariant($"logged but not on the bill ({t.UnpricedCalls} of our calls have no price): the bill may be late or incomplete for this day, or names the model differently")
                        : "logged but not on the bill: the bill may be late or incomplete for this day, or names the model differently";
            }

            List<string> parts = [];
            if (t.UnpricedCalls > 0)
            {
                parts.Add(Invariant($"{t.UnpricedCalls} of our calls have no price, so our side is short"));
            }

            if (t.MismatchedRequests > 0)
            {
                parts.Add(Invariant($"{t.MismatchedRequests} of {t.MatchedRequests} calls matched by request id differ (see the request mismatches)"));
            }

            if (!within)
            {
                if (billedTokens is { } theirs)
                {
                    parts.Add(Math.Abs(t.OurTokens - theirs) <= options.Tolerance * theirs
                        ? Invariant($"rate difference: our tokens match theirs ({theirs}); check the prices of the model")
                        : Invariant($"quantity difference: we logged {t.OurTokens} tokens, the bill has {theirs}"));
                }
                else
                {
                    parts.Add("the bill gives no token quantities, so a rate difference cannot be told from a quantity difference");
                }
            }

            return parts.Count == 0 ? null : string.Join("; ", parts);
        }

        private (decimal Difference, decimal Percent, bool Within) Compare(decimal ours, decimal theirs)
        {
            var difference = ours - theirs;
            var percent = theirs == 0m
                ? 100m * Math.Sign(ours)
                : Math.Round(difference / Math.Abs(theirs) * 100m, 4, MidpointRounding.AwayFromZero);
            return (difference, percent, Within(difference, theirs));
        }

        private bool Within(decimal difference, decimal theirs) =>
            Math.Abs(difference) <= Math.Max(options.Tolerance * Math.Abs(theirs), options.AbsoluteToleranceUsd);

        private string ModelKey(string? model) => BilledModelNames.Normalize(provider, model, options.PriceBook);

        private Tally At(DateOnly day, string model)
        {
            if (!_buckets.TryGetValue((day, model), out var tally))
            {
                tally = new Tally();
                _buckets.Add((day, model), tally);
            }

            return tally;
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The running sums of one bucket, or of one billed request's matched calls.</summary>
    private sealed class Tally
    {
        public decimal OursUsd { get; private set; }

        public decimal TheirsUsd { get; private set; }

        public int OurCalls { get; private set; }

        public int UnpricedCalls { get; private set; }

        public long OurTokens { get; private set; }

        public int BilledLines { get; private set; }

        public long BilledTokens { get; private set; }

        public bool HasBilledQuantity { get; private set; }

        public bool BilledQuantityIncomplete { get; private set; }

        public int MatchedRequests { get; set; }

        public int MismatchedRequests { get; set; }

        public void AddOurs(OperationLogEntry entry)
        {
            OurCalls++;
            OurTokens += Tokens(entry);
            if (entry.EffectiveCostUsd is { } cost)
            {
                OursUsd += cost;
            }
            else
            {
                UnpricedCalls++;
            }
        }

        public void Merge(Tally other)
        {
            OursUsd += other.OursUsd;
            OurCalls += other.OurCalls;
            UnpricedCalls += other.UnpricedCalls;
            OurTokens += other.OurTokens;
        }

        public void AddBilled(BilledLine line)
        {
            BilledLines++;
            TheirsUsd += line.AmountUsd;
            if (!TokenClasses.IsTokenCount(line.TokenClass))
            {
                return;
            }

            if (line.Quantity is { } quantity)
            {
                BilledTokens += quantity;
                HasBilledQuantity = true;
            }
            else
            {
                BilledQuantityIncomplete = true;
            }
        }
    }

    /// <summary>The billed lines of one request id, and our calls that carry the same id.</summary>
    private sealed class BilledRequest(string requestId, DateOnly day, string model)
    {
        public string RequestId { get; } = requestId;

        public DateOnly Day { get; } = day;

        public string Model { get; } = model;

        public List<BilledLine> Lines { get; } = [];

        public Tally Ours { get; } = new();
    }
}
