using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Reconciliation;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Helix.Core.Tests.Reconciliation.LogRows;

namespace Helix.Core.Tests.Reconciliation;

public sealed class ReconcilerTests
{
    private static readonly DateOnly s_nov1 = new(2026, 11, 1);
    private static readonly DateOnly s_nov2 = new(2026, 11, 2);
    private static readonly DateOnly s_nov3 = new(2026, 11, 3);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero));
    private readonly Reconciler _reconciler;

    public ReconcilerTests()
    {
        _reconciler = new Reconciler(_time);
    }

    [Fact]
    public void Reconcile_ExactMatch_Passes()
    {
        BilledLine[] billed = [Line("gpt-4o-mini", s_nov1, 0.06m, "input"), Line("gpt-4o-mini", s_nov1, 0.12m, "output")];
        OperationLogEntry[] ours =
        [
            Priced("openai", "gpt-4o-mini", At(11, 1, 9), 0.1m, reportedModel: "gpt-4o-mini-2024-07-18"),
            Priced("openai", "gpt-4o-mini", At(11, 1, 23), 0.08m),
        ];

        var report = _reconciler.Reconcile("openai", billed, ours, ReconciliationOptions.Default);

        Assert.True(report.Passed);
        var bucket = Assert.Single(report.Buckets);
        Assert.Equal(s_nov1, bucket.Day);
        Assert.Equal("gpt-4o-mini", bucket.Model);
        Assert.Equal(BucketPresence.Both, bucket.Presence);
        Assert.Equal(0.18m, bucket.OursUsd);
        Assert.Equal(0.18m, bucket.TheirsUsd);
        Assert.Equal(0m, bucket.DifferenceUsd);
        Assert.Equal(0m, bucket.DifferencePercent);
        Assert.True(bucket.WithinTolerance);
        Assert.Equal(2, bucket.OurCalls);
        Assert.Equal(2, bucket.BilledLines);
        Assert.Null(bucket.Explanation);
        Assert.Empty(report.MispricedModels);
        Assert.Equal("openai", report.Provider);
        Assert.Equal(s_nov1, report.From);
        Assert.Equal(s_nov1, report.To);
        Assert.Equal(_time.GetUtcNow(), report.CreatedAt);
        Assert.Equal(0.18m, report.Totals.OursUsd);
        Assert.Equal(0.18m, report.Totals.TheirsUsd);
        Assert.True(report.Totals.WithinTolerance);
    }

    [Theory]
    [InlineData("10.05", "0.05", "0.5", true)]
    [InlineData("10.10", "0.10", "1", true)]
    [InlineData("10.1001", "0.1001", "1.001", false)]
    [InlineData("9.90", "-0.10", "-1", true)]
    [InlineData("9.8999", "-0.1001", "-1.001", false)]
    public void Reconcile_DifferenceAroundOnePercent_PassesUpToTheTolerance(string ours, string difference, string percent, bool passes)
    {
        var report = _reconciler.Reconcile(
            "openai",
            [Line("gpt-4.1", s_nov1, 10m)],
            [Priced("openai", "gpt-4.1", At(11, 1), decimal.Parse(ours, System.Globalization.CultureInfo.InvariantCulture))],
            ReconciliationOptions.Default);

        var bucket = Assert.Single(report.Buckets);
        Assert.Equal(decimal.Parse(difference, System.Globalization.CultureInfo.InvariantCulture), bucket.DifferenceUsd);
        Assert.Equal(decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture), bucket.DifferencePercent);
        Assert.Equal(passes, bucket.WithinTolerance);
        Assert.Equal(passes, report.Passed);
    }

    [Fact]
    public void Reconcile_OneModelPricedTenPercentLow_FailsAndNamesOnlyThatModel()
    {
        BilledLine[] billed =
        [
            Line("gpt-4o", s_nov1, 1.25m, "input"), Line("gpt-4o", s_nov1, 1.25m, "output"),
            Line("gpt-4o-mini", s_nov1, 0.18m),
            Line("gpt-4o", s_nov2, 5m),
            Line("gpt-4.1", s_nov2, 0.1m, "input"), Line("gpt-4.1", s_nov2, 0.2m, "output"),
        ];
        OperationLogEntry[] ours =
        [
            Priced("openai", "gpt-4o", At(11, 1), 2.25m, reportedModel: "gpt-4o-2024-08-06"),
            Priced("openai", "gpt-4o-mini", At(11, 1), 0.18m),
            Priced("openai", "gpt-4o", At(11, 2), 4m),
            Priced("openai", "gpt-4o", At(11, 2), 0.5m),
            Priced("openai", "gpt-4.1", At(11, 2), 0.3015m),
        ];

        var report = _reconciler.Reconcile("openai", billed, ours, ReconciliationOptions.Default);

        Assert.False(report.Passed);
        Assert.Equal(["gpt-4o"], report.MispricedModels);
        Assert.Collection(
            report.Buckets,
            b => AssertBucket(b, s_nov1, "gpt-4o", ours: 2.25m, theirs: 2.5m, difference: -0.25m, percent: -10m, within: false),
            b => AssertBucket(b, s_nov1, "gpt-4o-mini", ours: 0.18m, theirs: 0.18m, difference: 0m, percent: 0m, within: true),
            b => AssertBucket(b, s_nov2, "gpt-4.1", ours: 0.3015m, theirs: 0.3m, difference: 0.0015m, percent: 0.5m, within: true),
            b => AssertBucket(b, s_nov2, "gpt-4o", ours: 4.5m, theirs: 5m, difference: -0.5m, percent: -10m, within: false));
        Assert.Equal(
            "the bill gives no token quantities, so a rate difference cannot be told from a quantity difference",
            report.Buckets[0].Explanation);
        Assert.Equal(7.2315m, report.Totals.OursUsd);
        Assert.Equal(7.98m, report.Totals.TheirsUsd);
        Assert.Equal(-0.7485m, report.Totals.DifferenceUsd);
        Assert.Equal(-9.3797m, report.Totals.DifferencePercent);
        Assert.False(report.Totals.WithinTolerance);
    }

    [Fact]
    public void Reconcile_MissingDaysAndBuckets_ReportsEachSideAndComparesOnlyTheExportPeriod()
    {
        var export = new BillingExport(
            "openai",
            [Line("gpt-4o-mini", s_nov1, 0.18m), Line("gpt-4o", s_nov2, 1m)],
            s_nov1,
            s_nov3);
        OperationLogEntry[] ours =
        [
            Priced("openai", "gpt-4o-mini", At(11, 1), 0.18m),
            Priced("openai", "gpt-4.1", At(11, 1), 0.05m),
            Priced("openai", "gpt-4o-mini", At(11, 3), 0.02m),
            Priced("openai", "gpt-4o-mini", At(11, 4, 0), 0.5m),
            Priced("openai", "gpt-4o-mini", At(10, 31, 23), 0.5m),
            Priced("anthropic", "claude-haiku-4-5", At(11, 1), 3m),
        ];

        var report = _reconciler.Reconcile(export, ours);

        Assert.False(report.Passed);
        Assert.Empty(report.MispricedModels);
        Assert.Equal(s_nov3, report.To);
        Assert.Collection(
            report.Buckets,
            b =>
            {
                AssertBucket(b, s_nov1, "gpt-4.1", ours: 0.05m, theirs: 0m, difference: 0.05m, percent: 100m, within: false);
                Assert.Equal(BucketPresence.OnlyInLog, b.Presence);
            },
            b => Assert.Equal(BucketPresence.Both, b.Presence),
            b =>
            {
                AssertBucket(b, s_nov2, "gpt-4o", ours: 0m, theirs: 1m, difference: -1m, percent: -100m, within: false);
                Assert.Equal(BucketPresence.OnlyInBill, b.Presence);
                Assert.StartsWith("billed but never logged", b.Explanation, StringComparison.Ordinal);
            },
            b =>
            {
                AssertBucket(b, s_nov3, "gpt-4o-mini", ours: 0.02m, theirs: 0m, difference: 0.02m, percent: 100m, within: false);
                Assert.Equal(BucketPresence.OnlyInLog, b.Presence);
                Assert.StartsWith("logged but not on the bill", b.Explanation, StringComparison.Ordinal);
            });
        Assert.Equal([(s_nov1, "gpt-4.1"), (s_nov3, "gpt-4o-mini")], report.MissingFromBill.Select(b => (b.Day, b.Model)));
        Assert.Equal([(s_nov2, "gpt-4o")], report.MissingFromLog.Select(b => (b.Day, b.Model)));
        Assert.Contains("2 of our calls fall outside 2026-11-01..2026-11-03 and were not compared.", report.Notes);
        Assert.Equal(0.25m, report.Totals.OursUsd);
        Assert.Equal(1.18m, report.Totals.TheirsUsd);
    }

    [Fact]
    public void Reconcile_MicroscopicDifferenceUnderTheFloor_Passes()
    {
        var report = _reconciler.Reconcile(
            "openai", [Line("gpt-4.1-nano", s_nov1, 0.00002m)], [Priced("openai", "gpt-4.1-nano", At(11, 1), 0.00005m)], ReconciliationOptions.Default);

        var bucket = Assert.Single(report.Buckets);
        Assert.Equal(0.00003m, bucket.DifferenceUsd);
        Assert.Equal(150m, bucket.DifferencePercent);
        Assert.True(bucket.WithinTolerance);
        Assert.True(report.Passed);
    }

    [Fact]
    public void Reconcile_LowVolumeModelOffUnderTheFloorEveryDay_IsNamedOnItsPeriodTotal()
    {
        var billed = Enumerable.Range(1, 30).Select(d => Line("gpt-4.1-nano", new DateOnly(2026, 11, d), 0.0015m))
            .Append(Line("gpt-4o", s_nov1, 1m)).ToArray();
        var ours = Enumerable.Range(1, 30).Select(d => Priced("openai", "gpt-4.1-nano", At(11, d), 0.00141m))
            .Append(Priced("openai", "gpt-4o", At(11, 1), 1m)).ToArray();

        var report = _reconciler.Reconcile("openai", billed, ours, ReconciliationOptions.Default);

        Assert.All(report.Buckets, b => Assert.True(b.WithinTolerance));
        Assert.Equal(["gpt-4.1-nano"], report.MispricedModels);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Reconcile_DifferenceAboveTheFloorWhereNothingWasBilled_Fails()
    {
        BilledLine[] billed = [Line("gpt-4.1-nano", s_nov1, 0m)];
        OperationLogEntry[] ours = [Priced("openai", "gpt-4.1-nano", At(11, 1), 0.0002m)];

        var strict = _reconciler.Reconcile("openai", billed, ours, ReconciliationOptions.Default);
        var lenient = _reconciler.Reconcile("openai", billed, ours, new ReconciliationOptions { AbsoluteToleranceUsd = 0.001m });

        var bucket = Assert.Single(strict.Buckets);
        Assert.Equal(BucketPresence.Both, bucket.Presence);
        Assert.Equal(100m, bucket.DifferencePercent);
        Assert.False(bucket.WithinTolerance);
        Assert.Equal(["gpt-4.1-nano"], strict.MispricedModels);
        Assert.True(lenient.Passed);
        Assert.Equal(0.001m, lenient.AbsoluteToleranceUsd);
    }

    [Fact]
    public void Reconcile_DeepgramExport_MatchesByRequestIdThenFallsBackToDayAndModel()
    {
        var export = new DeepgramUsageExportParser().Parse(ExportFiles.Read("deepgram-requests.json"));
        OperationLogEntry[] ours =
        [
            Priced("deepgram", "nova-3", At(11, 24, 9), 0.0089m) with { ProviderRequestId = "6b1c2a44-0f6e-4f4e-9a57-1d2f3c4b5a60" },
            // Our clock put this call on the next day; the request id still matches it to the bill's day.
            Priced("deepgram", "nova-2", new DateTimeOffset(2026, 11, 25, 0, 0, 0, 100, TimeSpan.Zero), 0.0129m) with { ProviderRequestId = "7c2d3b55-1a7f-4a5f-8b68-2e3f4d5c6b71" },
            Priced("deepgram", "nova-3", At(11, 25, 8), 0.058m) with { ProviderRequestId = "8d3e4c66-2b80-4b60-9c79-3f405e6d7c82" },
            Priced("deepgram", "nova-3", At(11, 25, 10), 0.004m),
        ];

        var report = _reconciler.Reconcile(export, ours);

        var mismatch = Assert.Single(report.RequestMismatches);
        Assert.Equal(
            new RequestMismatch("8d3e4c66-2b80-4b60-9c79-3f405e6d7c82", new DateOnly(2026, 11, 25), "nova-3", 0.058m, 0.0462m, 0.0118m),
            mismatch);
        Assert.Collection(
            report.Buckets,
            b =>
            {
                AssertBucket(b, new DateOnly(2026, 11, 24), "nova-2", ours: 0.0129m, theirs: 0.0129m, difference: 0m, percent: 0m, within: true);
                Assert.Equal(1, b.MatchedRequests);
            },
            b =>
            {
                AssertBucket(b, new DateOnly(2026, 11, 24), "nova-3", ours: 0.0089m, theirs: 0.0089m, difference: 0m, percent: 0m, within: true);
                Assert.Equal(1, b.MatchedRequests);
            },
            b =>
            {
                AssertBucket(b, new DateOnly(2026, 11, 25), "nova-3", ours: 0.062m, theirs: 0.0462m, difference: 0.0158m, percent: 34.1991m, within: false);
                Assert.Equal(1, b.MatchedRequests);
                Assert.Equal(2, b.OurCalls);
                Assert.Contains("1 of 1 calls matched by request id differ", b.Explanation, StringComparison.Ordinal);
            },
            b =>
            {
                AssertBucket(b, new DateOnly(2026, 11, 25), "unknown", ours: 0m, theirs: 0.0043m, difference: -0.0043m, percent: -100m, within: false);
                Assert.Equal(BucketPresence.OnlyInBill, b.Presence);
            });
        Assert.Equal(["nova-3"], report.MispricedModels);
        Assert.Contains("3 of 4 billed requests were matched to our calls by request id; the rest were compared by day and model.", report.Notes);
        Assert.Equal(0.0838m, report.Totals.OursUsd);
        Assert.Equal(0.0723m, report.Totals.TheirsUsd);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Reconcile_MatchedRequestsOffsettingEachOther_StillFail()
    {
        BilledLine[] billed =
        [
            Line("nova-3", s_nov1, 0.01m, null, provider: "deepgram", requestId: "r1"),
            Line("nova-3", s_nov1, 0.01m, null, provider: "deepgram", requestId: "r2"),
        ];
        OperationLogEntry[] ours =
        [
            Priced("deepgram", "nova-3", At(11, 1), 0.015m) with { ProviderRequestId = "r1" },
            Priced("deepgram", "nova-3", At(11, 1), 0.005m) with { ProviderRequestId = "r2" },
        ];

        var report = _reconciler.Reconcile("deepgram", billed, ours, ReconciliationOptions.Default);

        var bucket = Assert.Single(report.Buckets);
        Assert.True(bucket.WithinTolerance);
        Assert.Equal(2, report.RequestMismatches.Count);
        Assert.Equal(["nova-3"], report.MispricedModels);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Reconcile_RowStatuses_CountBilledCostsOnly()
    {
        var failed = Priced("openai", "gpt-4o", At(11, 1), 0m) with { Status = AttemptStatus.Failed, CostStatus = CostStatus.NotBilled, CostReason = "HTTP 500" };
        OperationLogEntry[] ours =
        [
            Priced("openai", "gpt-4o", At(11, 1), 0.5m) with { RepricedCostUsd = 0.7m },
            Priced("openai", "gpt-4o", At(11, 1), 0.3m) with { Status = AttemptStatus.Cancelled, CostStatus = CostStatus.Estimated, UsageKnown = false },
            failed,
            failed with { CostUsd = null, CostStatus = CostStatus.Priced },
            Priced("openai", "gpt-4o", At(11, 1), 0m) with { CostUsd = null, CostStatus = CostStatus.Unpriced },
        ];

        var report = _reconciler.Reconcile("openai", [Line("gpt-4o", s_nov1, 1m)], ours, ReconciliationOptions.Default);

        var bucket = Assert.Single(report.Buckets);
        Assert.Equal(1m, bucket.OursUsd);
        Assert.Equal(3, bucket.OurCalls);
        Assert.Equal(1, bucket.UnpricedCalls);
        Assert.True(bucket.WithinTolerance);
        Assert.Equal("1 of our calls have no price, so our side is short", bucket.Explanation);
        Assert.Contains("1 of our calls have no price and add nothing to our side.", report.Notes);
    }

    [Fact]
    public void Reconcile_GoogleExportWithTokenQuantities_TellsRateFromQuantityDifferences()
    {
        var export = new GoogleBillingCsvParser().Parse(ExportFiles.Read("google-billing.csv"));
        OperationLogEntry[] ours =
        [
            Priced("gemini", "gemini-2.5-flash", At(11, 1, 0), 2.43m, meters: new UsageMeters { InputTokens = 1_000_000, OutputTokens = 1_000_000 }),
            Priced("gemini", "gemini-2.5-flash-lite", At(11, 1, 3), 0.0005m, reportedModel: "models/gemini-2.5-flash-lite", meters: new UsageMeters { CacheReadTokens = 100_000 }),
            Priced("gemini", "gemini-2.5-pro", At(11, 2, 7), 0.5m, meters: new UsageMeters { OutputTokens = 8_000, ReasoningTokens = 2_000 }),
        ];

        var report = _reconciler.Reconcile(export, ours);

        Assert.Collection(
            report.Buckets,
            b =>
            {
                AssertBucket(b, s_nov1, "gemini-2.5-flash", ours: 2.43m, theirs: 2.7m, difference: -0.27m, percent: -10m, within: false);
                Assert.Equal(2_000_000, b.OurTokens);
                Assert.Equal(2_000_000, b.BilledTokens);
                Assert.Equal("rate difference: our tokens match theirs (2000000); check the prices of the model", b.Explanation);
            },
            b =>
            {
                AssertBucket(b, s_nov1, "gemini-2.5-flash-lite", ours: 0.0005m, theirs: 0.0005m, difference: 0m, percent: 0m, within: true);
                Assert.Equal(100_000, b.BilledTokens);
            },
            b =>
            {
                AssertBucket(b, s_nov2, "gemini-2.5-pro", ours: 0.5m, theirs: 0.62m, difference: -0.12m, percent: -19.3548m, within: false);
                Assert.Equal(12_000, b.BilledTokens);
                Assert.Equal("quantity difference: we logged 10000 tokens, the bill has 12000", b.Explanation);
            },
            b => Assert.Equal((BucketPresence.OnlyInBill, "unknown:imagen 4 fast image generation"), (b.Presence, b.Model)));
        Assert.Equal(["gemini-2.5-flash", "gemini-2.5-pro"], report.MispricedModels);
        Assert.Contains(
            "The bill attributes costs to 2 project(s) (helix-batch, helix-prod); the operation log has no projects yet, so buckets are day × model across projects.",
            report.Notes);
    }

    [Fact]
    public void Reconcile_RecentGoogleDays_NotesLateBillingData()
    {
        var reconciler = new Reconciler(new FakeTimeProvider(new DateTimeOffset(2026, 11, 3, 12, 0, 0, TimeSpan.Zero)));

        var report = reconciler.Reconcile("google", [Line("gemini-2.5-flash", s_nov2, 1m, provider: "gemini")], [], ReconciliationOptions.Default);

        Assert.Equal("gemini", report.Provider);
        Assert.Contains("Cloud Billing loads late rows for up to two days: days after 2026-11-01 may still be incomplete.", report.Notes);
    }

    [Fact]
    public void Reconcile_OptionsPeriod_NarrowsTheComparison()
    {
        BilledLine[] billed = [Line("gpt-4o", s_nov1, 1m), Line("gpt-4o", s_nov2, 2m)];
        OperationLogEntry[] ours = [Priced("openai", "gpt-4o", At(11, 1), 5m), Priced("openai", "gpt-4o", At(11, 2), 2m)];

        var report = _reconciler.Reconcile("openai", billed, ours, new ReconciliationOptions { From = s_nov2, To = s_nov2 });

        Assert.True(report.Passed);
        Assert.Equal((s_nov2, s_nov2), (report.From, report.To));
        Assert.Contains("1 billed lines fall outside 2026-11-02..2026-11-02 and were not compared.", report.Notes);
    }

    [Fact]
    public void Reconcile_PriceBookAliases_PutBothSpellingsInOneBucket()
    {
        var book = new PriceBook(
            [new PriceEntry { Provider = "openai", Model = "gpt-4o", Rates = new PriceRates { Input = 2.5m }, Source = "test", SourceDate = s_nov1 }],
            [new KeyValuePair<string, string>("openai/chatgpt-4o-latest", "openai/gpt-4o")]);

        var report = _reconciler.Reconcile(
            "openai",
            [Line("gpt-4o", s_nov1, 1m)],
            [Priced("openai", "chatgpt-4o-latest", At(11, 1), 1m)],
            new ReconciliationOptions { PriceBook = book });

        Assert.Equal("gpt-4o", Assert.Single(report.Buckets).Model);
        Assert.True(report.Passed);
    }

    [Fact]
    public void Reconcile_LineOfAnotherProvider_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            _reconciler.Reconcile("openai", [Line("claude-haiku-4-5", s_nov1, 1m, provider: "anthropic")], [], ReconciliationOptions.Default));

        Assert.Contains("'anthropic'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reconcile_NoLinesAndNoPeriod_Throws()
    {
        Assert.Throws<ArgumentException>(() => _reconciler.Reconcile("openai", [], [], ReconciliationOptions.Default));
    }

    [Fact]
    public void Reconcile_NegativeTolerance_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            _reconciler.Reconcile("openai", [Line("gpt-4o", s_nov1, 1m)], [], new ReconciliationOptions { Tolerance = -0.01m }));
    }

    private static BilledLine Line(
        string model, DateOnly day, decimal amount, string? tokenClass = "input", string provider = "openai", string? requestId = null) =>
        new(provider, day, model, tokenClass, Project: null, amount, Quantity: null, requestId);

    private static void AssertBucket(
        ReconciliationBucket bucket, DateOnly day, string model, decimal ours, decimal theirs, decimal difference, decimal percent, bool within)
    {
        Assert.Equal(day, bucket.Day);
        Assert.Equal(model, bucket.Model);
        Assert.Equal(ours, bucket.OursUsd);
        Assert.Equal(theirs, bucket.TheirsUsd);
        Assert.Equal(difference, bucket.DifferenceUsd);
        Assert.Equal(percent, bucket.DifferencePercent);
        Assert.Equal(within, bucket.WithinTolerance);
    }
}
