using System.Globalization;
using System.Text;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Reconciliation;
using Helix.Simulator;
using Xunit;

namespace Helix.Gateway.Tests.Reconciliation;

/// <summary>
/// Acceptance of "Cost truth": a generated month of traffic through the simulator, a bill in each provider's format
/// built from what the simulated providers billed, and a reconciliation within 1%; a model mispriced on our side is
/// caught and named.
/// </summary>
public sealed class MonthOfTrafficTests
{
    private const int Seed = 20_261_101;
    private const string MispricedModel = "gemini-2.5-flash";

    private static readonly string[] s_providers =
        [SimulatorProviders.OpenAI, SimulatorProviders.Anthropic, SimulatorProviders.Gemini, SimulatorProviders.Deepgram, SimulatorProviders.DeepSeek];

    [Fact]
    public async Task Month_BillsBuiltFromWhatTheProvidersBilled_ReconcileWithinOnePercent()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var plan = MonthOfTraffic.Plan(Seed);
        await using var helix = await SimulatedHelix.StartAsync(Midnight(MonthOfTraffic.FirstDay), cancellationToken);

        await MonthOfTraffic.RunAsync(helix, plan, cancellationToken);
        var reports = ReconcileEveryProvider(helix);

        Report("true prices on both sides", plan, reports);
        AssertNothingLost(helix, plan);
        foreach (var provider in s_providers)
        {
            var report = reports[provider];
            Assert.True(report.Passed, $"{provider}: {Describe(report)}");
            Assert.Empty(report.MispricedModels);
            Assert.Empty(report.RequestMismatches);
            Assert.Equal(MonthOfTraffic.FirstDay, report.From);
            Assert.Equal(MonthOfTraffic.LastDay, report.To);
            Assert.True(report.Totals.TheirsUsd > 0m, provider);
            Assert.True(report.Totals.WithinTolerance, provider);
            Assert.InRange(Math.Abs(report.Totals.DifferencePercent), 0m, 1m);

            // Every model has a bucket on every day of the month, found on both sides and within 1%.
            var models = plan.Where(c => c.Provider == provider).Select(c => c.Model).Distinct().Count();
            Assert.Equal(MonthOfTraffic.Days * models, report.Buckets.Count);
            Assert.All(report.Buckets, b =>
            {
                Assert.Equal(BucketPresence.Both, b.Presence);
                Assert.True(b.WithinTolerance, $"{provider} {b.Day} {b.Model}: {b.DifferencePercent}%");
                Assert.InRange(Math.Abs(b.DifferencePercent), 0m, 1m);
                Assert.Equal(0, b.UnpricedCalls);
            });
            Assert.Equal(plan.Count(c => c.Provider == provider), report.Buckets.Sum(b => b.OurCalls));
        }

        // Dated snapshots on both sides fold into the catalog's models.
        Assert.Equal(["gpt-4.1-mini", "gpt-4o-mini", "o4-mini"], ModelsOf(reports[SimulatorProviders.OpenAI]));
        Assert.Equal(["claude-haiku-4-5", "claude-sonnet-4-5"], ModelsOf(reports[SimulatorProviders.Anthropic]));

        // Google's token counts are compared too, and the Cloud Storage rows of the export are not Gemini's.
        var gemini = reports[SimulatorProviders.Gemini];
        Assert.Equal(["gemini-2.5-flash", "gemini-2.5-flash-lite"], ModelsOf(gemini));
        Assert.All(gemini.Buckets, b => Assert.Equal(b.BilledTokens, b.OurTokens));

        // Deepgram's request list is matched call by call on the request id.
        var deepgram = reports[SimulatorProviders.Deepgram];
        var transcriptions = plan.Count(c => c.Provider == SimulatorProviders.Deepgram);
        Assert.Equal(transcriptions, deepgram.Buckets.Sum(b => b.MatchedRequests));
        Assert.Contains(deepgram.Notes, n => n.StartsWith($"{transcriptions} of {transcriptions} billed requests were matched", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Month_OneModelMispricedOnOurSide_IsCaughtAndNamed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var plan = MonthOfTraffic.Plan(Seed);
        var start = Midnight(MonthOfTraffic.FirstDay);
        await using var helix = await SimulatedHelix.StartAsync(start, cancellationToken);
        Assert.True(BuiltInPriceBook.Create().TryFind(SimulatorProviders.Gemini, MispricedModel, start, out var listPrice));
        Assert.NotNull(listPrice);
        var listOutput = Assert.NotNull(listPrice.Rates.Output);
        const string WrongSource = "deliberately wrong: output 10% under the list price";
        var wrongOutput = listOutput * 0.9m;
        helix.PublishPrice(listPrice with { Rates = listPrice.Rates with { Output = wrongOutput }, Source = WrongSource });

        await MonthOfTraffic.RunAsync(helix, plan, cancellationToken);
        var reports = ReconcileEveryProvider(helix);

        Report($"our {MispricedModel} output price {wrongOutput}/1M instead of {listOutput}/1M", plan, reports);
        AssertNothingLost(helix, plan);
        Assert.All(helix.Log.Entries.Where(e => e.Model == $"gemini/{MispricedModel}"), e => Assert.Equal(WrongSource, e.PriceSource));

        var gemini = reports[SimulatorProviders.Gemini];
        Assert.False(gemini.Passed);
        Assert.Equal(new[] { MispricedModel }, gemini.MispricedModels);
        Assert.True(gemini.Totals.DifferenceUsd < 0m);

        // Every day's bucket of the model is short by exactly 10% of its output and thinking tokens' list price, and
        // the token counts agree, so the report calls it a rate difference.
        var ledger = helix.Simulator.State.Ledger;
        var mispriced = gemini.Buckets.Where(b => b.Model == MispricedModel).ToArray();
        Assert.Equal(MonthOfTraffic.Days, mispriced.Length);
        Assert.All(mispriced, b =>
        {
            var outputTokens = ledger.Where(e => e.Model == MispricedModel && DateOnly.FromDateTime(e.At.UtcDateTime) == b.Day).Sum(e => e.CompletionTokens);
            Assert.Equal(-outputTokens * (listOutput - wrongOutput) / 1_000_000m, b.DifferenceUsd);
            Assert.False(b.WithinTolerance, $"{b.Day}: {b.DifferencePercent}%");
            Assert.Equal(b.BilledTokens, b.OurTokens);
            Assert.Contains("rate difference", b.Explanation, StringComparison.Ordinal);
        });

        // The other Gemini model, and every other provider, still reconcile.
        Assert.All(gemini.Buckets.Where(b => b.Model != MispricedModel), b => Assert.True(b.WithinTolerance, $"{b.Day} {b.Model}: {b.DifferencePercent}%"));
        foreach (var provider in s_providers.Where(p => p != SimulatorProviders.Gemini))
        {
            Assert.True(reports[provider].Passed, $"{provider}: {Describe(reports[provider])}");
            Assert.Empty(reports[provider].MispricedModels);
        }
    }

    /// <summary>Builds each provider's bill from the simulator's ledger at list prices and reconciles it with the operation log.</summary>
    /// <remarks>The clock moves two days past the month first: Google loads late rows for a day for up to two days.</remarks>
    private static Dictionary<string, ReconciliationReport> ReconcileEveryProvider(SimulatedHelix helix)
    {
        helix.Time.SetUtcNow(Midnight(MonthOfTraffic.LastDay.AddDays(3)));
        var ledger = helix.Simulator.State.Ledger;
        var ours = helix.Log.Entries;
        var truth = BuiltInPriceBook.Create();
        var (from, to) = (MonthOfTraffic.FirstDay, MonthOfTraffic.LastDay);
        var options = new ReconciliationOptions { Tolerance = 0.01m, PriceBook = helix.Costs.Book };
        var reconciler = new Reconciler(helix.Time);
        ReconciliationReport FromExport(string provider, string export) =>
            reconciler.Reconcile(ReconciliationFormats.Get(provider).Parse(export), ours, options);

        return new Dictionary<string, ReconciliationReport>(StringComparer.Ordinal)
        {
            [SimulatorProviders.OpenAI] = FromExport("openai", BillingExportBuilder.OpenAICosts(ledger, truth, from, to)),
            [SimulatorProviders.Anthropic] = FromExport("anthropic", BillingExportBuilder.AnthropicCostReport(ledger, truth, from, to)),
            [SimulatorProviders.Gemini] = FromExport("google", BillingExportBuilder.GoogleBillingCsv(ledger, truth, from, to)),
            [SimulatorProviders.Deepgram] = FromExport("deepgram", BillingExportBuilder.DeepgramRequests(ledger, truth)),

            // DeepSeek has no export API: its console's daily usage is reconciled as billed lines.
            [SimulatorProviders.DeepSeek] = reconciler.Reconcile(
                "deepseek", BillingExportBuilder.DeepSeekConsoleUsage(ledger, truth), ours, options with { From = from, To = to }),
        };
    }

    /// <summary>Every planned call was billed once and logged once as a success, on the same day on both sides.</summary>
    private static void AssertNothingLost(SimulatedHelix helix, IReadOnlyList<PlannedCall> plan)
    {
        var ledger = helix.Simulator.State.Ledger;
        var rows = helix.Log.Entries;
        Assert.Equal(plan.Count, ledger.Count);
        Assert.Equal(plan.Count, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(AttemptStatus.Success, r.Status);
            Assert.Equal(CostStatus.Priced, r.CostStatus);
        });
        Assert.Equal(plan.Select(c => c.At).Order(), ledger.Select(e => e.At).Order());
        Assert.Equal(plan.Select(c => c.At).Order(), rows.Select(r => r.Timestamp).Order());
    }

    private static string[] ModelsOf(ReconciliationReport report) =>
        [.. report.Buckets.Select(b => b.Model).Distinct().Order(StringComparer.Ordinal)];

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Describe(ReconciliationReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"ours {report.Totals.OursUsd} theirs {report.Totals.TheirsUsd} ({report.Totals.DifferencePercent}%)");
        foreach (var bucket in report.Buckets.Where(b => !b.WithinTolerance).Take(5))
        {
            text.Append(CultureInfo.InvariantCulture, $"; {bucket.Day:yyyy-MM-dd} {bucket.Model} {bucket.Presence} {bucket.DifferencePercent}% {bucket.Explanation}");
        }

        return text.ToString();
    }

    /// <summary>Writes the month's figures to the test output: calls, our cost and the bill per provider, and the difference.</summary>
    private static void Report(string run, IReadOnlyList<PlannedCall> plan, Dictionary<string, ReconciliationReport> reports)
    {
        if (TestContext.Current.TestOutputHelper is not { } output)
        {
            return;
        }

        output.WriteLine($"Month of traffic, {run}: {plan.Count} calls, {MonthOfTraffic.FirstDay:yyyy-MM-dd}..{MonthOfTraffic.LastDay:yyyy-MM-dd}");
        foreach (var (provider, report) in reports)
        {
            var calls = plan.Count(c => c.Provider == provider);
            var worst = report.Buckets.MaxBy(b => Math.Abs(b.DifferencePercent))!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {provider,-9} {calls,4} calls  ours ${report.Totals.OursUsd:0.000000}  billed ${report.Totals.TheirsUsd:0.000000}  difference ${report.Totals.DifferenceUsd:0.00000000} ({report.Totals.DifferencePercent}%)  buckets {report.Buckets.Count}, worst {worst.DifferencePercent}% ({worst.Day:MM-dd} {worst.Model})  passed {report.Passed}  mispriced [{string.Join(", ", report.MispricedModels)}]"));
        }
    }
}
