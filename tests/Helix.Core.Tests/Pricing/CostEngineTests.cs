using Helix.Core.Metering;
using Helix.Core.Pricing;
using Xunit;

namespace Helix.Core.Tests.Pricing;

public sealed class CostEngineTests
{
    private static readonly DateTimeOffset s_now = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly UsageMeters s_meters = new() { InputTokens = 1000, OutputTokens = 500 };

    private readonly CostEngine _engine = new(BuiltInPriceBook.Create());

    [Fact]
    public void Price_ReportedSnapshotWithItsOwnPrice_WinsOverRequestedModel()
    {
        var cost = _engine.Price("openai", "gpt-4o", new UsageReport(s_meters, IsKnown: true, ReportedModel: "gpt-4o-2024-05-13"), s_now);

        Assert.Equal(0.0125m, cost.TotalUsd);
        Assert.Equal("gpt-4o-2024-05-13", cost.Price!.Model);
    }

    [Fact]
    public void Price_ReportedModelDiffersFromRequested_PricesTheReportedOne()
    {
        var cost = _engine.Price("openai", "gpt-4o-mini", new UsageReport(s_meters, IsKnown: true, ReportedModel: "gpt-4o-2024-08-06"), s_now);

        Assert.Equal(0.0075m, cost.TotalUsd);
        Assert.Equal("gpt-4o", cost.Price!.Model);
    }

    [Fact]
    public void Price_ReportedModelUnknown_FallsBackToRequested()
    {
        var cost = _engine.Price("openai", "gpt-4o-mini", new UsageReport(s_meters, IsKnown: true, ReportedModel: "gpt-4o-mini-experimental"), s_now);

        Assert.Equal(CostStatus.Priced, cost.Status);
        Assert.Equal(0.00045m, cost.TotalUsd);
        Assert.Equal("gpt-4o-mini", cost.Price!.Model);
    }

    [Fact]
    public void Price_ServiceTierInTheReport_WinsOverTheRequestedTier()
    {
        var usage = new UsageReport(s_meters, IsKnown: true, ServiceTier: "priority");

        var cost = _engine.Price("openai", "gpt-4o", usage, s_now, serviceTier: "batch");

        Assert.Equal(0.01275m, cost.TotalUsd);
    }

    [Fact]
    public void Price_NoTierInTheReport_UsesTheRequestedTier()
    {
        var cost = _engine.Price("openai", "gpt-4o", new UsageReport(s_meters, IsKnown: true), s_now, serviceTier: "batch");

        Assert.Equal(0.00375m, cost.TotalUsd);
    }

    [Fact]
    public void Price_UnknownModel_ReasonNamesProviderModelAndTime()
    {
        var cost = _engine.Price("anthropic", "claude-9", new UsageReport(s_meters, IsKnown: true), s_now);

        Assert.Equal(CostStatus.Unpriced, cost.Status);
        Assert.Null(cost.TotalUsd);
        Assert.Null(cost.Price);
        Assert.Equal("no price for anthropic/claude-9 at 2026-08-01T12:00:00.0000000+00:00", cost.Reason);
    }

    [Fact]
    public void Price_UnknownReportedAndRequestedModel_ReasonNamesTheReportedModel()
    {
        var cost = _engine.Price("openai", "gpt-9", new UsageReport(s_meters, IsKnown: true, ReportedModel: "gpt-9-2030-01-01"), s_now);

        Assert.Equal(CostStatus.Unpriced, cost.Status);
        Assert.Contains("openai/gpt-9-2030-01-01", cost.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Publish_NewBook_PricesLaterCallsWithIt()
    {
        var before = _engine.Price("openai", "gpt-4o", new UsageReport(s_meters, IsKnown: true), s_now);
        var book = _engine.Book.WithOverrides([new PriceEntry
        {
            Provider = "openai",
            Model = "gpt-4o",
            Rates = new PriceRates { Input = 3m, Output = 12m },
            Source = "admin override",
            SourceDate = new DateOnly(2026, 8, 1),
        }]);

        _engine.Publish(book);
        var after = _engine.Price("openai", "gpt-4o", new UsageReport(s_meters, IsKnown: true), s_now);

        Assert.Same(book, _engine.Book);
        Assert.Equal(0.0075m, before.TotalUsd);
        Assert.Equal(0.009m, after.TotalUsd);
        Assert.Equal("admin override", after.Price!.Source);
        Assert.True(after.Price.IsOverride);
    }

    [Fact]
    public void Publish_EmptyBook_MakesEveryCallUnpriced()
    {
        _engine.Publish(PriceBook.Empty);

        var cost = _engine.Price("openai", "gpt-4o", new UsageReport(s_meters, IsKnown: true), s_now);

        Assert.Equal(CostStatus.Unpriced, cost.Status);
        Assert.Null(cost.TotalUsd);
    }

    [Fact]
    public void TryFindPrice_ReportedModelKnown_ReturnsItsEntry()
    {
        Assert.True(_engine.TryFindPrice("anthropic", "claude-sonnet-4-5", "claude-haiku-4-5-20251001", s_now, out var price));

        Assert.Equal("claude-haiku-4-5", price!.Model);
        Assert.Equal(1m, price.Rates.Input);
    }

    [Fact]
    public void TryFindPrice_NeitherModelKnown_ReturnsFalse()
    {
        Assert.False(_engine.TryFindPrice("anthropic", "claude-9", null, s_now, out var price));
        Assert.Null(price);
    }

    [Fact]
    public void Constructor_NullBook_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new CostEngine(null!));
        Assert.Throws<ArgumentNullException>(() => _engine.Publish(null!));
    }
}
