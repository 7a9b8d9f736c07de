using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
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
        var log = new LogStore(
            Row(1, "openai/gpt-4o", cost: 0.0075m),
            Row(2, "openai/gpt-4o-mini", cost: 0.00045m));
        var prices = new PriceStore();
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
    public async Task RepriceAsync_UnpricedRowNowPriced_AdjustsAndCountsTheWholeCost()
    {
        var log = new LogStore(Row(7, "openai/gpt-9", cost: null, status: CostStatus.Unpriced));
        var prices = new PriceStore();
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-9", 1m, 2m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Changed);
        Assert.Equal(0.002m, result.DeltaUsd);
        Assert.Equal(0.002m, Assert.Single(prices.Adjustments).CostUsd);
    }

    [Fact]
    public async Task RepriceAsync_StillNoPrice_CountsItAndKeepsTheRecordedCost()
    {
        var log = new LogStore(
            Row(1, "openai/gpt-9", cost: null, status: CostStatus.Unpriced),
            Row(2, "openai/gpt-4o", cost: 0.0075m));
        var prices = new PriceStore();
        var repricer = Repricer(log, prices, PriceBook.Empty);

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new RepriceResult(2, 0, 2, 0, 0m), result);
        Assert.Empty(prices.Adjustments);
    }

    [Fact]
    public async Task RepriceAsync_UsageUnknownOrNotBilled_IsSkipped()
    {
        var log = new LogStore(
            Row(1, "openai/gpt-4o", cost: 0.5m, status: CostStatus.Estimated) with { UsageKnown = false },
            Row(2, "openai/gpt-4o", cost: 0m, status: CostStatus.NotBilled));
        var prices = new PriceStore();
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new RepriceResult(2, 0, 0, 2, 0m), result);
        Assert.Empty(prices.Adjustments);
    }

    [Fact]
    public async Task RepriceAsync_EffectiveDatedPrice_PricesEachRowAtItsOwnTime()
    {
        var fixFrom = s_day.AddHours(12);
        var log = new LogStore(
            Row(1, "openai/gpt-4o", cost: 0.0075m, at: s_day.AddHours(1)),
            Row(2, "openai/gpt-4o", cost: 0.0075m, at: s_day.AddHours(13)));
        var prices = new PriceStore();
        var book = Book(Price("openai", "gpt-4o", 2.5m, 10m))
            .WithOverrides([Price("openai", "gpt-4o", 2m, 8m) with { EffectiveFrom = fixFrom }]);
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
        var log = new LogStore(
            Row(1, "openai/gpt-4o", cost: 0.0075m) with { ReportedModel = "gpt-4o-2024-05-13" },
            Row(2, "gpt-4o", cost: 0.0075m));
        var prices = new PriceStore();
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 2.5m, 10m), Price("openai", "gpt-4o-2024-05-13", 5m, 15m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Changed);
        Assert.Equal(0.0125m, Assert.Single(prices.Adjustments).CostUsd);
    }

    [Fact]
    public async Task RepriceAsync_ServiceTier_IsAppliedFromTheRow()
    {
        var log = new LogStore(Row(1, "openai/gpt-4o", cost: 0.0075m) with { ServiceTier = "batch" });
        var prices = new PriceStore();
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
        var log = new LogStore(
            Row(1, "openai/gpt-4o", cost: 0.0075m),
            Row(2, "anthropic/claude-haiku-4-5", cost: 0.001m) with { Provider = "anthropic" });
        var prices = new PriceStore();
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m), Price("anthropic", "claude-haiku-4-5", 5m, 10m)));

        var result = await repricer.RepriceAsync(
            s_day, s_day.AddDays(1), "admin", row => row.Provider == "openai", TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Examined);
        Assert.Equal(1, Assert.Single(prices.Adjustments).LogId);
    }

    [Fact]
    public async Task RepriceAsync_RowsOutsideTheRange_AreNotRead()
    {
        var log = new LogStore(
            Row(1, "openai/gpt-4o", cost: 0.0075m, at: s_day.AddDays(-1)),
            Row(2, "openai/gpt-4o", cost: 0.0075m, at: s_day.AddDays(1)));
        var prices = new PriceStore();
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Examined);
        Assert.Empty(prices.Adjustments);
    }

    [Fact]
    public async Task RepriceAsync_RowAlreadyRepricedToTheSameCost_IsNotAdjustedAgain()
    {
        var log = new LogStore(Row(1, "openai/gpt-4o", cost: 0.0075m) with { RepricedCostUsd = 0.01m });
        var prices = new PriceStore();
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Changed);
        Assert.Empty(prices.Adjustments);
    }

    [Fact]
    public async Task RepriceAsync_ManyChangedRows_AppendsInBatchesAndLeavesRowsAsTheyWere()
    {
        var rows = Enumerable.Range(1, 1200).Select(i => Row(i, "openai/gpt-4o", cost: 0.0075m, at: s_day.AddSeconds(i))).ToArray();
        var log = new LogStore(rows);
        var prices = new PriceStore();
        var repricer = Repricer(log, prices, Book(Price("openai", "gpt-4o", 5m, 10m)));

        var result = await repricer.RepriceAsync(s_day, s_day.AddDays(1), "admin", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1200, result.Changed);
        Assert.Equal(3m, result.DeltaUsd);
        Assert.Equal(3, prices.Batches);
        Assert.Equal(1200, prices.Adjustments.Select(a => a.LogId).Distinct().Count());
        Assert.All(log.Rows, r => Assert.Equal(0.0075m, r.CostUsd));
    }

    [Fact]
    public async Task RepriceAsync_BadArguments_Throw()
    {
        var repricer = Repricer(new LogStore(), new PriceStore(), PriceBook.Empty);

        await Assert.ThrowsAsync<ArgumentException>(() => repricer.RepriceAsync(s_day, s_day.AddDays(1), " ", cancellationToken: TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => repricer.RepriceAsync(s_day, s_day.AddDays(-1), "admin", cancellationToken: TestContext.Current.CancellationToken));
    }

    private static LogRepricer Repricer(LogStore log, PriceStore prices, PriceBook book) =>
        new(log, prices, new CostEngine(book), new FakeTimeProvider(s_now));

    private static PriceBook Book(params PriceEntry[] entries) => new(entries);

    private static PriceEntry Price(string provider, string model, decimal input, decimal output) => new()
    {
        Provider = provider,
        Model = model,
        Rates = new PriceRates { Input = input, Output = output },
        Source = "test book",
        SourceDate = new DateOnly(2026, 11, 20),
    };

    private static OperationLogEntry Row(
        long id, string model, decimal? cost, CostStatus status = CostStatus.Priced, DateTimeOffset? at = null) => new()
    {
        Id = id,
        RequestId = $"req-{id}",
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

    private sealed class LogStore(params OperationLogEntry[] rows) : IOperationLogStore
    {
        public IReadOnlyList<OperationLogEntry> Rows { get; } = rows;

        public Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The re-pricer never writes log rows.");

        public Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The re-pricer reads ranges only.");

        public async IAsyncEnumerable<OperationLogEntry> ReadRangeAsync(
            DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var row in Rows.Where(r => r.Timestamp >= from && r.Timestamp < to).OrderBy(r => r.Timestamp))
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                yield return row;
            }
        }
    }

    private sealed class PriceStore : IPriceStore
    {
        public List<CostAdjustment> Adjustments { get; } = [];

        public int Batches { get; private set; }

        public Task<IReadOnlyList<PriceEntry>> GetOverridesAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<PriceEntry>>([]);

        public Task SaveOverridesAsync(IReadOnlyList<PriceEntry> entries, string changedBy, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The re-pricer never changes prices.");

        public Task AppendCostAdjustmentsAsync(IReadOnlyList<CostAdjustment> adjustments, CancellationToken cancellationToken = default)
        {
            Batches++;
            Adjustments.AddRange(adjustments);
            return Task.CompletedTask;
        }
    }
}
