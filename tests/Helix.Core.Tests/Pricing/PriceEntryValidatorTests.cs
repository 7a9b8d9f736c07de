using Helix.Core.Pricing;
using Helix.Core.Pricing.Import;
using Xunit;

namespace Helix.Core.Tests.Pricing;

public sealed class PriceEntryValidatorTests
{
    private static PriceEntry Entry(PriceRates rates) => new()
    {
        Provider = "openai",
        Model = "gpt-4o",
        Rates = rates,
        Source = "test",
        SourceDate = new DateOnly(2026, 11, 1),
    };

    [Fact]
    public void Problems_RatesWithinBounds_None()
    {
        Assert.Empty(PriceEntryValidator.Problems(Entry(new PriceRates { Input = 0m, Output = PriceEntryValidator.MaxRate })));
    }

    [Fact]
    public void Problems_NegativeHugeAndBadTiers_NamesEachField()
    {
        var entry = Entry(new PriceRates { Input = -0.01m, Output = 7.9e27m }) with
        {
            LongContext = new LongContextTier(long.MaxValue, new PriceRates { Input = -1m }),
            ServiceTiers = new Dictionary<string, ServiceTierPrice> { ["batch"] = new(null, -0.5m) },
            TimeWindows = [new TimeWindowPrice(new TimeOnly(1, 0), new TimeOnly(2, 0), new PriceRates { CacheRead = 2_000_000m })],
        };

        var problems = PriceEntryValidator.Problems(entry);

        Assert.Equal(6, problems.Count);
        Assert.Contains("openai/gpt-4o: rates.input is -0.01; a rate must be from 0 to 1000000.", problems);
        Assert.Contains(problems, p => p.StartsWith("openai/gpt-4o: rates.output is 7900000000000000000000000000", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("openai/gpt-4o: longContext.thresholdPromptTokens is 9223372036854775807", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("openai/gpt-4o: longContext.rates.input is -1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("openai/gpt-4o: serviceTiers.batch.multiplier is -0.5", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("openai/gpt-4o: timeWindows[0].rates.cacheRead is 2000000", StringComparison.Ordinal));
    }

    [Fact]
    public void LiteLlmParse_RateOverflowingADecimal_SaturatesSoTheValidatorRefusesIt()
    {
        var entry = Assert.Single(LiteLlmPriceMap.Parse(
            """{"m":{"litellm_provider":"openai","input_cost_per_token":1e25,"output_cost_per_token":0.00001}}""", new DateOnly(2026, 11, 24)));

        Assert.Equal(decimal.MaxValue, entry.Rates.Input);
        Assert.Contains(PriceEntryValidator.Problems(entry), p => p.StartsWith("openai/m: rates.input", StringComparison.Ordinal));
    }

    [Fact]
    public void LiteLlmParse_TierThresholdPastLong_SaturatesInsteadOfWrappingAround()
    {
        var entry = Assert.Single(LiteLlmPriceMap.Parse(
            """{"m":{"litellm_provider":"openai","input_cost_per_token":0.000001,"input_cost_per_token_above_99999999999999999k_tokens":0.000002}}""",
            new DateOnly(2026, 11, 24)));

        Assert.Equal(long.MaxValue, entry.LongContext!.ThresholdPromptTokens);
        Assert.NotEmpty(PriceEntryValidator.Problems(entry));
    }

    [Fact]
    public void ToCheckedEntries_NullModelsPricesAndWindows_ReportsEachAndKeepsTheValidOnes()
    {
        var document = PriceBookDocument.Parse("""
            {"models":[null,
              {"provider":"openai","model":"gpt-4o","prices":[null,{"source":"s","sourceDate":"2026-11-01","rates":{"input":1,"output":2}}]},
              {"provider":"openai","model":"gpt-4.1","prices":[{"source":"s","sourceDate":"2026-11-01","rates":{"input":1},"timeWindows":[null]}]},
              {"provider":"openai","model":"o3","prices":null}]}
            """);
        var refused = new List<string>();

        var entries = document.ToCheckedEntries(isOverride: true, refused);

        Assert.Equal("gpt-4o", Assert.Single(entries).Model);
        Assert.Equal(4, refused.Count);
        Assert.StartsWith("models[0]:", refused[0], StringComparison.Ordinal);
        Assert.StartsWith("models[1].prices[0]", refused[1], StringComparison.Ordinal);
        Assert.StartsWith("models[2].prices[0]", refused[2], StringComparison.Ordinal);
        Assert.StartsWith("models[3]", refused[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKey_Throws()
    {
        Assert.Throws<System.Text.Json.JsonException>(() => PriceBookDocument.Parse("""{"models":[],"models":[]}"""));
    }
}
