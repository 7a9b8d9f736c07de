using System.Text.Json;
using Helix.Core.Pricing;
using Helix.Core.Pricing.Import;
using Xunit;

namespace Helix.Core.Tests.Pricing.Import;

public sealed class LiteLlmPriceMapTests
{
    private static readonly DateOnly s_importDate = new(2026, 11, 24);

    [Theory]
    [InlineData("1.5e-07", "0.15")]
    [InlineData("1.5E-07", "0.15")]
    [InlineData("2.8e-08", "0.028")]
    [InlineData("1e-05", "10")]
    [InlineData("0.000003", "3")]
    [InlineData("3.3333333e-07", "0.33333333")]
    [InlineData("1.25e-6", "1.25")]
    [InlineData("0", "0")]
    public void Parse_PerTokenCost_ConvertsToExactPerMillionRate(string perToken, string perMillion)
    {
        var entries = LiteLlmPriceMap.Parse(
            "{\"m\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":" + perToken + "}}", s_importDate);

        var entry = Assert.Single(entries);
        Assert.Equal(decimal.Parse(perMillion, System.Globalization.CultureInfo.InvariantCulture), entry.Rates.Input);
        Assert.Equal(perMillion, entry.Rates.Input!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Parse_EveryTokenField_MapsToItsRate()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"claude-x":{"litellm_provider":"anthropic",
              "input_cost_per_token":5e-06,"output_cost_per_token":2.5e-05,
              "cache_read_input_token_cost":5e-07,"cache_creation_input_token_cost":6.25e-06,
              "cache_creation_input_token_cost_above_1hr":1e-05,
              "input_cost_per_audio_token":4e-05,"cache_read_input_audio_token_cost":2e-05,
              "output_cost_per_audio_token":8e-05,"output_cost_per_reasoning_token":3e-05}}
            """, s_importDate);

        var rates = Assert.Single(entries).Rates;
        Assert.Equal(5m, rates.Input);
        Assert.Equal(25m, rates.Output);
        Assert.Equal(0.5m, rates.CacheRead);
        Assert.Equal(6.25m, rates.CacheWrite5m);
        Assert.Equal(10m, rates.CacheWrite1h);
        Assert.Equal(40m, rates.InputAudio);
        Assert.Equal(20m, rates.CacheReadAudio);
        Assert.Equal(80m, rates.OutputAudio);
        Assert.Equal(30m, rates.Reasoning);
        Assert.Null(rates.AudioPerMinute);
        Assert.Null(rates.WebSearchPerThousand);
    }

    [Fact]
    public void Parse_PerSecondAndPerCharacter_ConvertToPerMinuteAndPerMillionCharacters()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"whisper-1":{"litellm_provider":"openai","input_cost_per_second":0.0001,"output_cost_per_second":0.0001},
             "tts-1":{"litellm_provider":"openai","input_cost_per_character":1.5e-05}}
            """, s_importDate);

        Assert.Equal(0.006m, entries.Single(e => e.Model == "whisper-1").Rates.AudioPerMinute);
        Assert.Null(entries.Single(e => e.Model == "whisper-1").Rates.Output);
        Assert.Equal(15m, entries.Single(e => e.Model == "tts-1").Rates.CharactersPerMillion);
    }

    [Fact]
    public void Parse_RoundedPerSecondWithOriginalPerMinute_UsesThePerMinutePrice()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"deepgram/nova-2":{"litellm_provider":"deepgram","input_cost_per_second":7.167e-05,
               "metadata":{"calculation":"$0.0043/60 seconds","original_pricing_per_minute":0.0043}},
             "deepgram/whisper":{"litellm_provider":"deepgram","input_cost_per_second":0.0001}}
            """, s_importDate);

        Assert.Equal(0.0043m, entries.Single(e => e.Model == "nova-2").Rates.AudioPerMinute);
        Assert.Equal(0.006m, entries.Single(e => e.Model == "whisper").Rates.AudioPerMinute);
        Assert.All(entries, e => Assert.Equal("deepgram", e.Provider));
    }

    [Fact]
    public void Parse_Above200kTokens_BecomesLongContextTierWithOnlyListedRates()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"gemini/gemini-2.5-pro":{"litellm_provider":"gemini",
              "input_cost_per_token":1.25e-06,"output_cost_per_token":1e-05,"cache_read_input_token_cost":1.25e-07,
              "input_cost_per_token_above_200k_tokens":2.5e-06,"output_cost_per_token_above_200k_tokens":1.5e-05,
              "cache_read_input_token_cost_above_200k_tokens":2.5e-07,
              "input_cost_per_token_above_200k_tokens_priority":2.5e-06}}
            """, s_importDate);

        var tier = Assert.Single(entries).LongContext;
        Assert.NotNull(tier);
        Assert.Equal(200_000, tier.ThresholdPromptTokens);
        Assert.Equal(2.5m, tier.Rates.Input);
        Assert.Equal(15m, tier.Rates.Output);
        Assert.Equal(0.25m, tier.Rates.CacheRead);
        Assert.Null(tier.Rates.InputAudio);
    }

    [Fact]
    public void Parse_OneHourCacheWriteAbove200k_LandsInTheTier()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"claude-sonnet-4-5":{"litellm_provider":"anthropic","input_cost_per_token":3e-06,"output_cost_per_token":1.5e-05,
              "cache_creation_input_token_cost_above_1hr":6e-06,
              "cache_creation_input_token_cost_above_1hr_above_200k_tokens":1.2e-05,
              "cache_creation_input_token_cost_above_200k_tokens":7.5e-06,
              "input_cost_per_token_above_200k_tokens":6e-06}}
            """, s_importDate);

        var entry = Assert.Single(entries);
        Assert.Equal(6m, entry.Rates.CacheWrite1h);
        Assert.Equal(12m, entry.LongContext!.Rates.CacheWrite1h);
        Assert.Equal(7.5m, entry.LongContext.Rates.CacheWrite5m);
        Assert.Equal(6m, entry.LongContext.Rates.Input);
    }

    [Fact]
    public void Parse_BatchAtOneRatio_BecomesMultiplier()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"gpt-4.1":{"litellm_provider":"openai","input_cost_per_token":2e-06,"output_cost_per_token":8e-06,
              "input_cost_per_token_batches":1e-06,"output_cost_per_token_batches":4e-06}}
            """, s_importDate);

        var batch = Assert.Single(entries).ServiceTiers["batch"];
        Assert.Null(batch.Rates);
        Assert.Equal(0.5m, batch.Multiplier);
    }

    [Fact]
    public void Parse_TierWithUnevenRatios_BecomesReplacementRates()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"o4-mini":{"litellm_provider":"openai","input_cost_per_token":1.1e-06,"output_cost_per_token":4.4e-06,
              "cache_read_input_token_cost":2.75e-07,
              "input_cost_per_token_priority":2e-06,"output_cost_per_token_priority":8e-06,
              "cache_read_input_token_cost_priority":6e-07}}
            """, s_importDate);

        var priority = Assert.Single(entries).ServiceTiers["PRIORITY"];
        Assert.Null(priority.Multiplier);
        Assert.Equal(2m, priority.Rates!.Input);
        Assert.Equal(8m, priority.Rates.Output);
        Assert.Equal(0.6m, priority.Rates.CacheRead);
    }

    [Fact]
    public void Parse_TierWhoseRatioIsNotExact_KeepsItsRates()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"o4-mini":{"litellm_provider":"openai","input_cost_per_token":1.1e-06,"output_cost_per_token":4.4e-06,
              "input_cost_per_token_priority":2e-06,"output_cost_per_token_priority":8e-06}}
            """, s_importDate);

        var priority = Assert.Single(entries).ServiceTiers["priority"];
        Assert.Null(priority.Multiplier);
        Assert.Equal(2m, priority.Rates!.Input);
        Assert.Equal(1.1m, entries[0].Rates.Input);
    }

    [Fact]
    public void Parse_SupportedProvidersOnly_SkipsSampleSpecAndOthers()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"sample_spec":{"litellm_provider":"openai","input_cost_per_token":0.0},
             "gpt-4o":{"litellm_provider":"openai","input_cost_per_token":2.5e-06},
             "deepseek-chat":{"litellm_provider":"deepseek","input_cost_per_token":2.8e-07},
             "gemini/gemini-2.5-flash":{"litellm_provider":"gemini","input_cost_per_token":3e-07},
             "claude-haiku-4-5":{"litellm_provider":"anthropic","input_cost_per_token":1e-06},
             "deepgram/nova-3":{"litellm_provider":"deepgram","input_cost_per_second":7.167e-05},
             "vertex_ai/gemini-2.5-flash":{"litellm_provider":"vertex_ai-language-models","input_cost_per_token":3e-07},
             "azure/gpt-4o":{"litellm_provider":"azure","input_cost_per_token":2.5e-06},
             "no-provider":{"input_cost_per_token":1e-06},
             "not-an-object":42}
            """, s_importDate);

        Assert.Equal(
            ["anthropic/claude-haiku-4-5", "deepgram/nova-3", "deepseek/deepseek-chat", "gemini/gemini-2.5-flash", "openai/gpt-4o"],
            entries.Select(e => $"{e.Provider}/{e.Model}"));
        Assert.All(entries, e =>
        {
            Assert.Equal(LiteLlmPriceMap.SourceName, e.Source);
            Assert.Equal(s_importDate, e.SourceDate);
            Assert.Null(e.EffectiveFrom);
            Assert.False(e.IsOverride);
        });
    }

    [Fact]
    public void Parse_ModelListedWithAndWithoutPrefix_PrefixedEntryWins()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"gemini/gemini-flash-latest":{"litellm_provider":"gemini","input_cost_per_token":3e-07,"cache_read_input_token_cost":3e-08},
             "gemini-flash-latest":{"litellm_provider":"gemini","input_cost_per_token":3e-07,"cache_read_input_token_cost":7.5e-08},
             "deepseek-chat":{"litellm_provider":"deepseek","input_cost_per_token":9e-07},
             "deepseek/deepseek-chat":{"litellm_provider":"deepseek","input_cost_per_token":2.8e-07}}
            """, s_importDate);

        Assert.Equal(0.03m, entries.Single(e => e.Model == "gemini-flash-latest").Rates.CacheRead);
        Assert.Equal(0.28m, entries.Single(e => e.Model == "deepseek-chat").Rates.Input);
    }

    [Fact]
    public void Parse_VariantKeysAndEntriesWithoutExpressiblePrices_AreSkipped()
    {
        var entries = LiteLlmPriceMap.Parse("""
            {"hd/1024-x-1024/dall-e-3":{"litellm_provider":"openai","input_cost_per_token":1e-06},
             "dall-e-2":{"litellm_provider":"openai","input_cost_per_pixel":1.9e-08},
             "odd":{"litellm_provider":"openai","input_cost_per_token":"free","output_cost_per_token":-1},
             "Mixed-Case":{"litellm_provider":"openai","output_cost_per_token":1e-06}}
            """, s_importDate);

        var entry = Assert.Single(entries);
        Assert.Equal("mixed-case", entry.Model);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    public void Parse_NotAnObject_ThrowsJsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => LiteLlmPriceMap.Parse(json, s_importDate));
    }

    [Fact]
    public void Parse_NotJson_ThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => LiteLlmPriceMap.Parse("{not json", s_importDate));
    }

    [Fact]
    public async Task ParseAsync_Stream_ReadsLikeParse()
    {
        using var stream = new MemoryStream("""{"gpt-4o":{"litellm_provider":"openai","input_cost_per_token":2.5e-06}}"""u8.ToArray());

        var entries = await LiteLlmPriceMap.ParseAsync(stream, s_importDate, TestContext.Current.CancellationToken);

        Assert.Equal(2.5m, Assert.Single(entries).Rates.Input);
    }

    [Fact]
    public void Parse_ReferenceSnapshot_ReadsTheSupportedProvidersExactly()
    {
        var json = ReferenceData.LiteLlmPriceMapOrSkip();

        var entries = LiteLlmPriceMap.Parse(json, s_importDate);

        Assert.Equal(LiteLlmPriceMap.SupportedProviders.Order(StringComparer.Ordinal),
            entries.Select(e => e.Provider).Distinct().Order(StringComparer.Ordinal));
        Assert.DoesNotContain(entries, e => e.Model == "sample_spec" || e.Model.Contains('/', StringComparison.Ordinal));
        Assert.Equal(entries.Count, entries.Select(e => PriceBook.Key(e.Provider, e.Model)).Distinct().Count());
        var transcribe = entries.Single(e => e.Provider == "openai" && e.Model == "gpt-4o-transcribe");
        Assert.Equal(2.5m, transcribe.Rates.InputAudio);
        Assert.Equal(10m, transcribe.Rates.Output);
        Assert.Equal(0.0043m, entries.Single(e => e.Provider == "deepgram" && e.Model == "nova-2").Rates.AudioPerMinute);
        var flash = entries.Single(e => e.Provider == "gemini" && e.Model == "gemini-2.5-flash");
        Assert.Equal(0.3m, flash.Rates.Input);
        Assert.Equal(1m, flash.Rates.InputAudio);
        var pro = entries.Single(e => e.Provider == "gemini" && e.Model == "gemini-2.5-pro");
        Assert.Equal(200_000, pro.LongContext!.ThresholdPromptTokens);
        Assert.Equal(2.5m, pro.LongContext.Rates.Input);
        var opus = entries.Single(e => e.Provider == "anthropic" && e.Model == "claude-opus-4-5");
        Assert.Equal(6.25m, opus.Rates.CacheWrite5m);
        Assert.Equal(10m, opus.Rates.CacheWrite1h);
        Assert.Equal(0.028m, entries.Single(e => e.Provider == "deepseek" && e.Model == "deepseek-chat").Rates.CacheRead);
    }
}
