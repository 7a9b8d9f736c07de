using BenchmarkDotNet.Attributes;
using Helix.Core.Metering;
using Helix.Core.Pricing;

namespace Helix.Benchmarks;

/// <summary>Pricing one response: the price lookup (by the reported, dated model name) and the decimal arithmetic.</summary>
[MemoryDiagnoser]
public class PricingBenchmarks
{
    private static readonly DateTimeOffset s_at = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private CostEngine _engine = null!;
    private PriceEntry _price = null!;
    private UsageReport _usage;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new CostEngine(BuiltInPriceBook.Create());
        _engine.TryFindPrice("openai", "gpt-4o-mini", null, s_at, out var price);
        _price = price!;
        _usage = new UsageReport(new UsageMeters { InputTokens = 10_000, CacheReadTokens = 40_000, OutputTokens = 1_600, ReasoningTokens = 400 }, true, "gpt-4o-mini-2024-07-18");
        _engine.Price("openai", "gpt-4o-mini", _usage, s_at);
    }

    [Benchmark(Baseline = true)]
    public decimal? CalculateWithKnownPrice() => CostCalculator.Calculate(_price, _usage.Meters, null, s_at).TotalUsd;

    [Benchmark]
    public decimal? PriceResponseByReportedModel() => _engine.Price("openai", "gpt-4o-mini", _usage, s_at).TotalUsd;
}
