using Helix.Core.Savings;

namespace Helix.Gateway.Admin;

/// <summary>A savings replay as the admin API shows it; money as exact decimal strings.</summary>
internal sealed record SavingsBody(
    DateTimeOffset From,
    DateTimeOffset To,
    int Days,
    SavingsBody.TotalsBody Totals,
    string ProjectedMonthlySavingsUsd,
    IReadOnlyList<SavingsBody.DayBody> PerDay,
    IReadOnlyList<SavingsBody.OperationBody> PerOperation,
    string Method)
{
    private const string MethodText =
        "each served call (a successful attempt) of the window re-priced with the candidate's price entry in force at the call's time, " +
        "the call's own meters and service tier (or the plan's); current cost is the logged one, a later re-pricing included; " +
        "calls that cannot be priced on both sides are counted as unpriced and left out of both sums; " +
        "inPriceWindow prices each call at the cheapest time of day of its entry (a window's start or end, on the call's day), " +
        "pricesAsOf with the entry in force at that instant instead of at the call's time";

    public static SavingsBody Of(SavingsReport report, int days) => new(
        report.From,
        report.To,
        days,
        TotalsBody.From(report.Totals),
        Usd.Format(report.ProjectedMonthlySavingsUsd),
        [.. report.Days.Select(d => new DayBody(d.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), TotalsBody.From(d.Totals)))],
        [.. report.Operations.Select(o => new OperationBody(
            o.Operation, o.CandidateModel, o.ServiceTier, TotalsBody.From(o.Totals),
            [.. o.CurrentModels.Select(EvidenceBody.From)], EvidenceBody.From(o.Candidate), o.TokenCounts,
            o.StreamedCalls, o.InPriceWindow, o.InPriceWindow ? o.CallsOutsideCheapestWindow : null, o.PricesAsOf))],
        MethodText);

    internal sealed record TotalsBody(long Calls, long RepricedCalls, long UnpricedCalls, string CurrentCostUsd, string CandidateCostUsd, string SavingsUsd, string? SavingsFraction)
    {
        public static TotalsBody From(SavingsTotals t) => new(
            t.Calls, t.RepricedCalls, t.UnpricedCalls, Usd.Format(t.CurrentCostUsd), Usd.Format(t.CandidateCostUsd), Usd.Format(t.SavingsUsd),
            t.SavingsFraction is { } f ? Usd.Format(decimal.Round(f, 6)) : null);
    }

    internal sealed record DayBody(string Day, TotalsBody Totals);

    internal sealed record OperationBody(
        string Operation, string CandidateModel, string? ServiceTier, TotalsBody Totals,
        IReadOnlyList<EvidenceBody> CurrentModels, EvidenceBody Candidate, string TokenCounts,
        long StreamedCalls, bool InPriceWindow, long? CallsOutsideCheapestWindow, DateTimeOffset? PricesAsOf);

    internal sealed record EvidenceBody(string Model, long Attempts, long Failures, double? ErrorRate, double? LatencyP50Ms, double? LatencyP95Ms, long FeedbackRatings, string? MeanFeedbackScore)
    {
        public static EvidenceBody From(ModelEvidence e) => new(e.Model, e.Attempts, e.Failures, e.ErrorRate, e.LatencyP50Ms, e.LatencyP95Ms, e.Ratings, e.MeanScore?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
