using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.Pricing;

public sealed class LogRepricerTests
{
    private static readonly DateTimeOffset s_day = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly UsageMeters s_usage = new() { InputTokens = 1000, OutputTokens = 500 };

    [Fact]
    public async Task RepriceAsync_PriceFixed_AdjustsOnlyRowsWhoseCostChanged()
    {
        var log = await LogOf(Row("openai/gpt-4o", cost: 0.0075m), Row("openai/gpt-4o-mini", cost: 0.00045m));
        var prices = new InMemoryPriceStore(log);
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m), Price("openai", "gpt-4o-mini", 0.15m, 0.6m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin@example.com", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new RepriceResult(Examined: 2, Changed: 1, StillUnpriced: 0, Skipped: 0, DeltaUsd: 0.0025m), result);
        var adjustment = Assert.Single(prices.Adjustments);
        Assert.Equal(1, adjustment.LogId);
        Assert.Equal(0.01m, adjustment.CostUsd);
        Assert.Equal(CostStatus.Priced, adjustment.CostStatus);
        Assert.Equal("test book", adjustment.PriceSource);
        Assert.Equal(new DateOnly(2026, 11, 20), adjustment.PriceSourceDate);
        Assert.Equal(s_now, adjustment.At);
        Assert.Equal("admin@example.com", adjustment.By);
        Assert.Contains("was 0.0075 USD, now 0.01 USD", adjustment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepriceAsync_OriginalRows_AreNeverModified()
    {
        var log = await LogOf(Row("openai/gpt-4o", cost: 0.0075m));
        var prices = new InMemoryPriceStore(log);
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m)));

        await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        var row = Assert.Single(log.Entries);
        Assert.Equal(0.0075m, row.CostUsd);
        Assert.Equal(CostStatus.Priced, row.CostStatus);
        Assert.Equal(0.01m, row.RepricedCostUsd);
        Assert.Equal(0.01m, row.EffectiveCostUsd);
    }

    [Fact]
    public async Task RepriceAsync_RunTwice_AdjustsOnlyOnce()
    {
        var log = await LogOf(Row("openai/gpt-4o", cost: 0.0075m));
        var prices = new InMemoryPriceStore(log);
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m)));
        await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        var second = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new RepriceResult(1, 0, 0, 0, 0m), second);
        Assert.Single(prices.Adjustments);
    }

    [Fact]
    public async Task RepriceAsync_UnpricedRowNowPriced_AdjustsAndCountsTheWholeCost()
    {
        var log = await LogOf(Row("openai/gpt-9", cost: null, status: CostStatus.Unpriced));
        var prices = new InMemoryPriceStore(log);
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-9", 1m, 2m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Changed);
        Assert.Equal(0.002m, result.DeltaUsd);
        var adjustment = Assert.Single(prices.Adjustments);
        Assert.Equal(0.002m, adjustment.CostUsd);
        Assert.Contains("was unpriced", adjustment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepriceAsync_StillNoPrice_CountsItAndKeepsTheRecordedCost()
    {
        var log = await LogOf(Row("openai/gpt-9", cost: null, status: CostStatus.Unpriced), Row("openai/gpt-4o", cost: 0.0075m));
        var prices = new InMemoryPriceStore(log);
        var repricer = Repricer(log, prices, PriceBook.Empty);

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new RepriceResult(2, 0, 2, 0, 0m), result);
        Assert.Empty(prices.Adjustments);
        Assert.Equal(0.0075m, log.Entries[1].EffectiveCostUsd);
    }

    [Fact]
    public async Task RepriceAsync_UsageUnknownOrNotBilled_IsSkipped()
    {
        var log = await LogOf(
            Row("openai/gpt-4o", cost: 0.5m, status: CostStatus.Estimated) with { UsageKnown = false },
            Row("openai/gpt-4o", cost: 0m, status: CostStatus.NotBilled));
        var prices = new InMemoryPriceStore(log);
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new RepriceResult(2, 0, 0, 2, 0m), result);
        Assert.Empty(prices.Adjustments);
    }

    [Fact]
    public async Task RepriceAsync_EffectiveDatedPrice_PricesEachRowAtItsOwnTime()
    {
        var log = await LogOf(
            Row("openai/gpt-4o", cost: 0.0075m, at: s_day.AddHours(1)),
            Row("openai/gpt-4o", cost: 0.0075m, at: s_day.AddHours(13)));
        var prices = new InMemoryPriceStore(log);
        var book = Book(Price("openai", "gpt-4o", 2.5m, 10m))
            .WithOverrides([Price("openai", "gpt-4o", 2m, 8m) with { EffectiveFrom = s_day.AddHours(12) }]);
        var repricer = Repricer(log, prices, book);

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Changed);
        Assert.Equal(-0.0015m, result.DeltaUsd);
        var adjustment = Assert.Single(prices.Adjustments);
        Assert.Equal(2, adjustment.LogId);
        Assert.Equal(0.006m, adjustment.CostUsd);
    }

    [Fact]
    public async Task RepriceAsync_ReportedModel_IsPricedInPreferenceToTheCatalogModel()
    {
        var log = await LogOf(
            Row("openai/gpt-4o", cost: 0.0075m) with { ReportedModel = "gpt-4o-2024-05-13" },
            Row("gpt-4o", cost: 0.0075m));
        var prices = new InMemoryPriceStore(log);
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 2.5m, 10m), Price("openai", "gpt-4o-2024-05-13", 5m, 15m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Changed);
        var adjustment = Assert.Single(prices.Adjustments);
        Assert.Equal(1, adjustment.LogId);
        Assert.Equal(0.0125m, adjustment.CostUsd);
    }

    [Fact]
    public async Task RepriceAsync_ServiceTier_IsAppliedFromTheRow()
    {
        var log = await LogOf(Row("openai/gpt-4o", cost: 0.0075m) with { ServiceTier = "batch" });
        var prices = new InMemoryPriceStore(log);
        var batch = Price("openai", "gpt-4o", 2.5m, 10m) with
        {
            ServiceTiers = new Dictionary<string, ServiceTierPrice>(StringComparer.OrdinalIgnoreCase) { ["batch"] = new(null, 0.5m) },
        };
        var repricer = Repricer(log, prices, Book(batch));

        await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0.00375m, Assert.Single(prices.Adjustments).CostUsd);
    }

    [Fact]
    public async Task RepriceAsync_Filter_ExaminesOnlyAcceptedRows()
    {
        var log = await LogOf(
            Row("openai/gpt-4o", cost: 0.0075m),
            Row("anthropic/claude-haiku-4-5", cost: 0.001m) with { Provider = "anthropic" });
        var prices = new InMemoryPriceStore(log);
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m), Price("anthropic", "claude-haiku-4-5", 5m, 10m)));

        var result = await repricer.RepriceAsync(
            s_day, s_day.AddDays(1), "admin", row => row.Provider == "openai", TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Examined);
        Assert.Equal(1, Assert.Single(prices.Adjustments).LogId);
    }

    [Fact]
    public async Task RepriceAsync_RowsOutsideTheRange_AreNotRead()
    {
        var log = await LogOf(
            Row("openai/gpt-4o", cost: 0.0075m, at: s_day.AddDays(-1)),
            Row("openai/gpt-4o", cost: 0.0075m, at: s_day.AddDays(1)));
        var prices = new InMemoryPriceStore(log);
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Examined);
        Assert.Empty(prices.Adjustments);
    }

    [Fact]
    public async Task RepriceAsync_ManyChangedRows_AppendsAdjustmentsInBatches()
    {
        var log = await LogOf([.. Enumerable.Range(1, 1200).Select(i => Row("openai/gpt-4o", cost: 0.0075m, at: s_day.AddSeconds(i)))]);
        var prices = new CountingPriceStore(new InMemoryPriceStore(log));
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1200, result.Changed);
        Assert.Equal(3m, result.DeltaUsd);
        Assert.Equal(3, prices.Calls);
        Assert.Equal(1200, prices.Inner.Adjustments.Select(a => a.LogId).Distinct().Count());
        Assert.All(log.Entries, r => Assert.Equal(0.0075m, r.CostUsd));
    }

    [Fact]
    public async Task RepriceAsync_BadArguments_Throw()
    {
        var log = new InMemoryOperationLogStore();
        var repricer = Repricer(log, new InMemoryPriceStore(log), PriceBook.Empty);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            repricer.RepriceAsync(s_day, s_day.AddDays(1), " ", cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            repricer.RepriceAsync(s_day, s_day.AddDays(-1), "admin", cancellationToken: TestContext.Current.CancellationToken));
    }

    private static LogRepricer Repricer(IOperationLogStore log, IPriceStore prices, PriceBook book) =>
        new(log, prices, new CostEngine(book), new FakeTimeProvider(s_now));

    // Rows get ids 1, 2, … in the order given.
    private static async Task<InMemoryOperationLogStore> LogOf(params OperationLogEntry[] rows)
    {
        var log = new InMemoryOperationLogStore();
        await log.AppendAsync(rows, TestContext.Current.CancellationToken);
        return log;
    }

    private static PriceBook Book(params PriceEntry[] entries) => new(entries);

    private static PriceEntry Price(string provider, string model, decimal input, decimal output) => new()
    {
        Provider = provider,
        Model = model,
        Rates = new PriceRates { Input = input, Output = output },
        Source = "test book",
        SourceDate = new DateOnly(2026, 11, 20),
    };

    private static OperationLogEntry Row(string model, decimal? cost, CostStatus status = CostStatus.Priced, DateTimeOffset? at = null) => new()
    {
        RequestId = Guid.NewGuid().ToString("N"),
        Timestamp = at ?? s_day.AddHours(1),
        Operation = "chat",
        Principal = "app",
        Provider = "openai",
        Model = model,
        Attempt = 1,
        Status = AttemptStatus.Success,
        LatencyMs = 10,
        UsageKnown = true,
        Meters = s_usage,
        CostUsd = cost,
        CostStatus = status,
    };

    /// <summary>Counts the calls that append adjustments, to see that a long run appends in batches.</summary>
    private sealed class CountingPriceStore(InMemoryPriceStore inner) : IPriceStore
    {
        public InMemoryPriceStore Inner { get; } = inner;

        public int Calls { get; private set; }

        public Task<IReadOnlyList<PriceEntry>> GetOverridesAsync(CancellationToken cancellationToken = default) =>
            Inner.GetOverridesAsync(cancellationToken);

        public Task SaveOverridesAsync(IReadOnlyList<PriceEntry> entries, string changedBy, CancellationToken cancellationToken = default) =>
            Inner.SaveOverridesAsync(entries, changedBy, cancellationToken);

        public Task RemoveOverridesAsync(IReadOnlyList<string> modelKeys, string changedBy, CancellationToken cancellationToken = default) =>
            Inner.RemoveOverridesAsync(modelKeys, changedBy, cancellationToken);

        public Task AppendCostAdjustmentsAsync(IReadOnlyList<CostAdjustment> adjustments, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Inner.AppendCostAdjustmentsAsync(adjustments, cancellationToken);
        }
    }
}
