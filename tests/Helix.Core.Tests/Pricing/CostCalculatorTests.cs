using System.Globalization;
using Helix.Core.Metering;
using Helix.Core.Pricing;
using Xunit;

namespace Helix.Core.Tests.Pricing;

// The numbered cases are section B of shared/reference/cost-pitfalls.md, priced with the built-in book.
public sealed class CostCalculatorTests
{
    private static readonly DateTimeOffset s_now = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CostEngine _engine = new(BuiltInPriceBook.Create());

    [Fact]
    public void Calculate_Case1Gpt4oWithoutCache_PricesInputAndOutput()
    {
        var cost = Price("openai", "gpt-4o", new() { InputTokens = 1000, OutputTokens = 500 });

        Assert.Equal(CostStatus.Priced, cost.Status);
        Assert.Equal(0.0075m, cost.TotalUsd);
        Assert.Equal(0.0025m, cost.Breakdown.Input);
        Assert.Equal(0.005m, cost.Breakdown.Output);
    }

    [Fact]
    public void Calculate_Case3Gpt4oMiniWithCache_PricesCachedPartAtCacheRateOnly()
    {
        var cost = Price("openai", "gpt-4o-mini", new() { InputTokens = 10_000, CacheReadTokens = 40_000, OutputTokens = 2000 });

        Assert.Equal(0.0057m, cost.TotalUsd);
        Assert.Equal(0.003m, cost.Breakdown.CacheRead);
        Assert.NotEqual(0.0117m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case4Gpt41NanoTinyCall_KeepsMicroDollars()
    {
        var cost = Price("openai", "gpt-4.1-nano", new() { InputTokens = 12, OutputTokens = 3 });

        Assert.Equal(0.0000024m, cost.TotalUsd);
        Assert.NotEqual(0m, Math.Round(cost.TotalUsd!.Value, 9));
    }

    [Fact]
    public void Calculate_OneCachedDeepSeekToken_KeepsTenDecimalPlaces()
    {
        var cost = Price("deepseek", "deepseek-v4-flash", new() { CacheReadTokens = 1 }, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(0.0000000028m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case6Gpt41Batch_HalvesTheTotal()
    {
        var cost = Price("openai", "gpt-4.1", new() { InputTokens = 100_000, OutputTokens = 20_000 }, serviceTier: "batch");

        Assert.Equal(0.18m, cost.TotalUsd);
        Assert.Equal(0.5m, cost.Breakdown.Multiplier);
        Assert.Equal(0.2m, cost.Breakdown.Input);
        Assert.Equal(0.16m, cost.Breakdown.Output);
    }

    [Fact]
    public void Calculate_Gpt4oPriorityTier_UsesReplacementRates()
    {
        var cost = Price("openai", "gpt-4o", new() { InputTokens = 1000, CacheReadTokens = 1000, OutputTokens = 500 }, serviceTier: "priority");

        Assert.Equal(0.014875m, cost.TotalUsd);
        Assert.Equal(1m, cost.Breakdown.Multiplier);
    }

    [Fact]
    public void Calculate_O3FlexTier_UsesReplacementRates()
    {
        var cost = Price("openai", "o3", new() { InputTokens = 1000, ReasoningTokens = 600, OutputTokens = 400 }, serviceTier: "flex");

        Assert.Equal(0.005m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_TierTheBookDoesNotList_UsesBaseRates()
    {
        var cost = Price("openai", "gpt-4o", new() { InputTokens = 1000, OutputTokens = 500 }, serviceTier: "default");

        Assert.Equal(0.0075m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_O3AroundThePriceCut_PricesEachSideWithItsOwnRates()
    {
        var cut = new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);
        UsageMeters meters = new() { InputTokens = 1000, CacheReadTokens = 1000, OutputTokens = 1000 };

        Assert.Equal(0.0525m, Price("openai", "o3", meters, cut.AddTicks(-1)).TotalUsd);
        Assert.Equal(0.0105m, Price("openai", "o3", meters, cut).TotalUsd);
    }

    [Fact]
    public void Calculate_Case8ClaudeHaiku45CacheRead_AddsCacheReadToUncachedInput()
    {
        var cost = Price("anthropic", "claude-haiku-4-5", new() { InputTokens = 9, CacheReadTokens = 17_102, OutputTokens = 400 });

        Assert.Equal(0.0037192m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case9ClaudeOpus45OneHourCacheWrite_UsesTheOneHourRate()
    {
        var cost = Price("anthropic", "claude-opus-4-5", new()
        {
            InputTokens = 500,
            CacheWrite1hTokens = 20_000,
            CacheReadTokens = 30_000,
            OutputTokens = 1000,
        });

        Assert.Equal(0.2425m, cost.TotalUsd);
        Assert.Equal(0.2m, cost.Breakdown.CacheWrite1h);
        Assert.Equal(0m, cost.Breakdown.CacheWrite5m);
        Assert.NotEqual(0.1675m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_ClaudeFiveMinuteCacheWrite_UsesTheFiveMinuteRate()
    {
        var cost = Price("anthropic", "claude-opus-4-5", new() { CacheWrite5mTokens = 20_000 });

        Assert.Equal(0.125m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case11ClaudeOpus41Plain_PricesInputAndOutput()
    {
        var cost = Price("anthropic", "claude-opus-4-1", new() { InputTokens = 2000, OutputTokens = 1000 });

        Assert.Equal(0.105m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_ClaudeWebSearch_PricesPerThousandSearches()
    {
        var cost = Price("anthropic", "claude-sonnet-4-5", new() { InputTokens = 1000, OutputTokens = 100, WebSearchRequests = 3 });

        Assert.Equal(0.0345m, cost.TotalUsd);
        Assert.Equal(0.03m, cost.Breakdown.WebSearch);
    }

    [Fact]
    public void Calculate_ClaudeSonnet45PromptOfExactly200000WithCache_StaysInBaseTier()
    {
        var cost = Price("anthropic", "claude-sonnet-4-5", new() { InputTokens = 150_000, CacheReadTokens = 50_000, OutputTokens = 1000 });

        Assert.Equal(0.48m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_ClaudeSonnet45PromptOver200000CountingCache_RepricesWholeRequest()
    {
        var cost = Price("anthropic", "claude-sonnet-4-5", new() { InputTokens = 150_000, CacheReadTokens = 50_001, OutputTokens = 1000 });

        Assert.Equal(0.9525006m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_ClaudeSonnet4LongContextInBatch_AppliesTierThenMultiplier()
    {
        var cost = Price("anthropic", "claude-sonnet-4-0", new() { InputTokens = 250_000 }, serviceTier: "batch");

        Assert.Equal(0.75m, cost.TotalUsd);
    }

    [Theory]
    [InlineData("claude-sonnet-4-6", "1.5225", "0.765")]
    [InlineData("claude-opus-4-6", "2.5375", "1.275")]
    public void Calculate_LongPrompt46Models_LongContextTierEndsOn20260313(string model, string before, string after)
    {
        var end = new DateTimeOffset(2026, 3, 13, 0, 0, 0, TimeSpan.Zero);
        UsageMeters meters = new() { InputTokens = 250_000, OutputTokens = 1000 };

        Assert.Equal(Usd(before), Price("anthropic", model, meters, end.AddSeconds(-1)).TotalUsd);
        Assert.Equal(Usd(after), Price("anthropic", model, meters, end).TotalUsd);
    }

    [Fact]
    public void Calculate_Case13Gemini25ProPromptOfExactly200000_StaysInBaseTier()
    {
        var cost = Price("gemini", "gemini-2.5-pro", new() { InputTokens = 200_000, OutputTokens = 1000 });

        Assert.Equal(0.26m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Gemini25ProPromptOf200001_RepricesWholeRequest()
    {
        var cost = Price("gemini", "gemini-2.5-pro", new() { InputTokens = 200_001, OutputTokens = 1000 });

        Assert.Equal(0.5150025m, cost.TotalUsd);
        Assert.NotEqual(0.2600025m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Gemini25ProCachedTokensPushPromptOverThreshold_RepricesWholeRequest()
    {
        var cost = Price("gemini", "gemini-2.5-pro", new() { InputTokens = 100_001, CacheReadTokens = 100_000, OutputTokens = 1000 });

        Assert.Equal(0.2900025m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Gemini25ProAudioInput_IsPricedExplicitlyAtTheTextRate()
    {
        var cost = Price("gemini", "gemini-2.5-pro", new() { InputAudioTokens = 1920 });

        Assert.Equal(CostStatus.Priced, cost.Status);
        Assert.Equal(0.0024m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case16Gemini25FlashAudioInput_UsesTheAudioRate()
    {
        var cost = Price("gemini", "gemini-2.5-flash", new() { InputTokens = 10, InputAudioTokens = 1920, OutputTokens = 200 });

        Assert.Equal(0.002423m, cost.TotalUsd);
        Assert.NotEqual(0.001079m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Gemini25FlashThoughts_ArePricedAtTheOutputRate()
    {
        var cost = Price("gemini", "gemini-2.5-flash", new() { OutputTokens = 200, ReasoningTokens = 640 });

        Assert.Equal(0.0021m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Gemini25FlashToolPromptTokens_ArePricedAtTheInputRate()
    {
        var cost = Price("gemini", "gemini-2.5-flash", new() { ToolPromptTokens = 1000 });

        Assert.Equal(0.0003m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case18Gemini25FlashLiteCacheStorage_AddsStorageTokenHours()
    {
        var cost = Price("gemini", "gemini-2.5-flash-lite", new()
        {
            CacheStorageTokenHours = 100_000m * 2,
            InputTokens = 1000,
            CacheReadTokens = 100_000,
            OutputTokens = 500,
        });

        Assert.Equal(0.2013m, cost.TotalUsd);
        Assert.Equal(0.2m, cost.Breakdown.CacheStorage);
    }

    [Fact]
    public void Calculate_Gemini20FlashBatch_HalvesTheTotal()
    {
        var cost = Price("gemini", "gemini-2.0-flash", new() { InputTokens = 1000, InputAudioTokens = 1000, OutputTokens = 1000 }, serviceTier: "batch");

        Assert.Equal(0.0006m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case20DeepSeekReasonerOffPeak_UsesTheOffPeakRates()
    {
        UsageMeters meters = new() { InputTokens = 5000, OutputTokens = 4000 };

        var offPeak = Price("deepseek", "deepseek-reasoner", meters, new DateTimeOffset(2025, 3, 1, 17, 0, 0, TimeSpan.Zero));
        var peak = Price("deepseek", "deepseek-reasoner", meters, new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal(0.002875m, offPeak.TotalUsd);
        Assert.Equal(0.01151m, peak.TotalUsd);
    }

    [Theory]
    [InlineData("2025-03-01T16:29:59Z", "0.01151")]
    [InlineData("2025-03-01T16:30:00Z", "0.002875")]
    [InlineData("2025-03-02T00:29:59Z", "0.002875")]
    [InlineData("2025-03-02T00:30:00Z", "0.01151")]
    public void Calculate_DeepSeekReasonerAtWindowEdges_StartIsInclusiveEndExclusive(string at, string expected)
    {
        var cost = Price("deepseek", "deepseek-reasoner", new() { InputTokens = 5000, OutputTokens = 4000 }, DateTimeOffset.Parse(at, CultureInfo.InvariantCulture));

        Assert.Equal(Usd(expected), cost.TotalUsd);
    }

    [Fact]
    public void Calculate_DeepSeekChatOffPeakHalfPrice_AppliesToCacheHitsMissesAndOutput()
    {
        var cost = Price("deepseek", "deepseek-chat", new() { InputTokens = 1_000_000, CacheReadTokens = 1_000_000, OutputTokens = 1_000_000 },
            new DateTimeOffset(2025, 3, 1, 23, 0, 0, TimeSpan.Zero));

        Assert.Equal(0.72m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_DeepSeekChatEveningAfter20250905_HasNoOffPeakDiscount()
    {
        var cost = Price("deepseek", "deepseek-chat", new() { InputTokens = 5000, OutputTokens = 4000 }, new DateTimeOffset(2025, 9, 10, 17, 0, 0, TimeSpan.Zero));

        Assert.Equal(0.00952m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case21DeepSeekV4FlashAndLegacyAlias_UseTheV4FlashRates()
    {
        var at = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        UsageMeters meters = new() { InputTokens = 180, CacheReadTokens = 99_820, OutputTokens = 500 };

        Assert.Equal(0.000444696m, Price("deepseek", "deepseek-v4-flash", meters, at).TotalUsd);
        Assert.Equal(0.000444696m, Price("deepseek", "deepseek-chat", meters, at).TotalUsd);
        Assert.Equal(0.000444696m, Price("deepseek", "deepseek-reasoner", meters, at).TotalUsd);
    }

    [Fact]
    public void Calculate_DeepSeekChatInTheV32Period_UsesTheV32RatesOnlyThen()
    {
        UsageMeters meters = new() { InputTokens = 180, CacheReadTokens = 99_820, OutputTokens = 500 };

        var cost = Price("deepseek", "deepseek-chat", meters, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(0.00305536m, cost.TotalUsd);
    }

    [Theory]
    [InlineData("deepseek-chat")]
    [InlineData("deepseek-reasoner")]
    public void Calculate_RetiredDeepSeekAliasAfter20260724T1559Z_IsUnpriced(string model)
    {
        var retired = new DateTimeOffset(2026, 7, 24, 15, 59, 0, TimeSpan.Zero);
        UsageMeters meters = new() { InputTokens = 180, CacheReadTokens = 99_820, OutputTokens = 500 };

        var before = Price("deepseek", model, meters, retired.AddSeconds(-1));
        var after = Price("deepseek", model, meters, retired);

        Assert.Equal(0.000444696m, before.TotalUsd);
        Assert.Equal(CostStatus.Unpriced, after.Status);
        Assert.Null(after.TotalUsd);
        Assert.False(_engine.Book.TryFind("deepseek", model, retired, out _));
        Assert.False(_engine.Book.TryFind("deepseek", model, s_now, out _));
    }

    [Fact]
    public void Calculate_Case22Whisper_PricesSecondsAtThePerMinuteRate()
    {
        Assert.Equal(0.00834m, Price("openai", "whisper-1", new() { AudioSeconds = 83.4m }).TotalUsd);
        Assert.Equal(0.0083m, Price("openai", "whisper-1", new() { AudioSeconds = 83m }).TotalUsd);
    }

    [Fact]
    public void Calculate_Gpt4oTranscribeAudio_UsesTheSixDollarAudioRate()
    {
        var cost = Price("openai", "gpt-4o-transcribe", new() { InputTokens = 20, InputAudioTokens = 1480, OutputTokens = 300 });

        Assert.Equal(0.01193m, cost.TotalUsd);
        Assert.NotEqual(0.00675m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Gpt4oMiniTranscribeAudio_UsesTheThreeDollarAudioRate()
    {
        var cost = Price("openai", "gpt-4o-mini-transcribe", new() { InputTokens = 20, InputAudioTokens = 1480, OutputTokens = 300 });

        Assert.Equal(0.005965m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Gpt4oMiniTts_PricesTextInAndAudioOut()
    {
        var cost = Price("openai", "gpt-4o-mini-tts", new() { InputTokens = 100, OutputAudioTokens = 1000 });

        Assert.Equal(0.01206m, cost.TotalUsd);
    }

    [Theory]
    [InlineData("tts-1", "0.01851")]
    [InlineData("tts-1-hd", "0.03702")]
    public void Calculate_Cases24And25Tts_PricesCharacters(string model, string expected)
    {
        var cost = Price("openai", model, new() { Characters = 1234 });

        Assert.Equal(Usd(expected), cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case28DeepgramNova2Streaming_UsesTheStreamingRate()
    {
        UsageMeters meters = new() { AudioSeconds = 600m };

        Assert.Equal(0.058m, Price("deepgram", "nova-2", meters, serviceTier: "streaming").TotalUsd);
        Assert.Equal(0.043m, Price("deepgram", "nova-2", meters).TotalUsd);
    }

    [Fact]
    public void Calculate_DeepgramNova3ByItsMetadataName_PricesPreRecordedAndStreaming()
    {
        UsageMeters meters = new() { AudioSeconds = 600m };

        Assert.Equal(0.043m, Price("deepgram", "general-nova-3", meters).TotalUsd);
        Assert.Equal(0.077m, Price("deepgram", "general-nova-3", meters, serviceTier: "streaming").TotalUsd);
    }

    [Fact]
    public void Calculate_DeepgramOddDuration_KeepsThePerMinuteRateExact()
    {
        var cost = Price("deepgram", "nova-3", new() { AudioSeconds = 125.5m });

        Assert.Equal(125.5m * 0.0043m / 60m, cost.TotalUsd);
        Assert.NotEqual(125.5m * 0.00007167m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case29EdgeTts_IsPricedAtZero()
    {
        var cost = Price("edge-tts", "en-US-AriaNeural", new() { Characters = 5000, AudioSeconds = 312.5m });

        Assert.Equal(CostStatus.Priced, cost.Status);
        Assert.Equal(0m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_Case30Embedding_PricesInputOnly()
    {
        Assert.Equal(0.00016m, Price("openai", "text-embedding-3-small", new() { InputTokens = 8000 }).TotalUsd);
        Assert.Equal(0.00008m, Price("openai", "text-embedding-3-small", new() { InputTokens = 8000 }, serviceTier: "batch").TotalUsd);
    }

    [Fact]
    public void Calculate_UnknownModel_IsUnpricedNeverZero()
    {
        var cost = Price("openai", "gpt-9-ultra", new() { InputTokens = 1000, OutputTokens = 500 });

        Assert.Equal(CostStatus.Unpriced, cost.Status);
        Assert.Null(cost.TotalUsd);
        Assert.Contains("openai/gpt-9-ultra", cost.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai", "gpt-4o", "inputAudio")]
    [InlineData("openai", "text-embedding-3-small", "output")]
    [InlineData("openai", "whisper-1", "input")]
    [InlineData("deepgram", "nova-3", "characters")]
    public void Calculate_MeterWithoutRate_IsUnpricedNamingTheMeter(string provider, string model, string meter)
    {
        UsageMeters meters = meter switch
        {
            "inputAudio" => new() { InputTokens = 10, InputAudioTokens = 100 },
            "output" => new() { InputTokens = 10, OutputTokens = 100 },
            "input" => new() { AudioSeconds = 10m, InputTokens = 100 },
            _ => new() { AudioSeconds = 10m, Characters = 100 },
        };

        var cost = Price(provider, model, meters);

        Assert.Equal(CostStatus.Unpriced, cost.Status);
        Assert.Null(cost.TotalUsd);
        Assert.Equal($"no {meter} price for {provider}/{model}", cost.Reason);
    }

    [Fact]
    public void Calculate_EmptyMeters_CostsZero()
    {
        var cost = Price("openai", "gpt-4o", default);

        Assert.Equal(CostStatus.Priced, cost.Status);
        Assert.Equal(0m, cost.TotalUsd);
    }

    [Fact]
    public void Calculate_NullPrice_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CostCalculator.Calculate(null!, default, null, s_now));
    }

    private static decimal Usd(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);

    private CostResult Price(string provider, string model, UsageMeters meters, DateTimeOffset? at = null, string? serviceTier = null) =>
        _engine.Price(provider, model, new UsageReport(meters, IsKnown: true), at ?? s_now, serviceTier);
}
