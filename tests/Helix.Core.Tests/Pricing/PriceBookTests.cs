using Helix.Core.Pricing;
using Xunit;

namespace Helix.Core.Tests.Pricing;

public sealed class PriceBookTests
{
    private static readonly DateTimeOffset s_now = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_priceChange = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_retirement = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PriceBook _builtIn = BuiltInPriceBook.Create();

    [Theory]
    [InlineData("openai", "gpt-4o-2024-08-06", "openai/gpt-4o")]
    [InlineData("openai", "gpt-4o-2024-11-20", "openai/gpt-4o")]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini")]
    [InlineData("openai", "gpt-4.1-2025-04-14", "openai/gpt-4.1")]
    [InlineData("openai", "gpt-4.1-mini-2025-04-14", "openai/gpt-4.1-mini")]
    [InlineData("openai", "gpt-4.1-nano-2025-04-14", "openai/gpt-4.1-nano")]
    [InlineData("openai", "tts-1-hd-1106", "openai/tts-1-hd")]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5")]
    [InlineData("anthropic", "claude-haiku-4-5-20251001", "anthropic/claude-haiku-4-5")]
    [InlineData("anthropic", "claude-sonnet-4-20250514", "anthropic/claude-sonnet-4")]
    [InlineData("anthropic", "claude-sonnet-4-0", "anthropic/claude-sonnet-4")]
    [InlineData("anthropic", "claude-opus-4-20250514", "anthropic/claude-opus-4")]
    [InlineData("anthropic", "claude-opus-4-0", "anthropic/claude-opus-4")]
    [InlineData("anthropic", "claude-opus-4-1-20250805", "anthropic/claude-opus-4-1")]
    [InlineData("gemini", "gemini-2.0-flash-001", "gemini/gemini-2.0-flash")]
    [InlineData("deepgram", "general-nova-3", "deepgram/nova-3")]
    [InlineData("deepgram", "general-nova-2", "deepgram/nova-2")]
    [InlineData("edge-tts", "en-US-AriaNeural", "edge-tts/edge-tts")]
    [InlineData("edge-tts", "en-US-GuyNeural", "edge-tts/edge-tts")]
    [InlineData("edge-tts", "en-US-JennyNeural", "edge-tts/edge-tts")]
    [InlineData("edge-tts", "en-GB-SoniaNeural", "edge-tts/edge-tts")]
    public void Resolve_Alias_ReturnsCanonicalKey(string provider, string model, string expected)
    {
        Assert.Equal(expected, _builtIn.Resolve(provider, model));
    }

    [Theory]
    [InlineData("openai", "gpt-4o-2030-01-01", "openai/gpt-4o")]
    [InlineData("openai", "o3-mini-20300101", "openai/o3-mini")]
    [InlineData("anthropic", "claude-opus-4-5-20301231", "anthropic/claude-opus-4-5")]
    public void Resolve_DatedSnapshotNotInAliases_StripsTheDate(string provider, string model, string expected)
    {
        Assert.Equal(expected, _builtIn.Resolve(provider, model));
    }

    [Fact]
    public void TryFind_DatedSnapshotWithItsOwnPrice_KeepsItsOwnPrice()
    {
        Assert.True(_builtIn.TryFind("openai", "gpt-4o-2024-05-13", s_now, out var entry));

        Assert.Equal("gpt-4o-2024-05-13", entry.Model);
        Assert.Equal(5m, entry.Rates.Input);
        Assert.Equal(15m, entry.Rates.Output);
    }

    [Theory]
    [InlineData("gemini/gemini-2.5-flash")]
    [InlineData("models/gemini-2.5-flash")]
    [InlineData("google/gemini-2.5-flash")]
    [InlineData("vertex_ai/gemini-2.5-flash")]
    [InlineData("gemini/models/gemini-2.5-flash")]
    [InlineData("Gemini-2.5-Flash")]
    [InlineData("MODELS/GEMINI-2.5-FLASH")]
    [InlineData("  gemini-2.5-flash ")]
    public void TryFind_PrefixedOrCasedName_FindsTheModel(string model)
    {
        Assert.True(_builtIn.TryFind("gemini", model, s_now, out var entry));

        Assert.Equal("gemini-2.5-flash", entry.Model);
        Assert.Equal(0.3m, entry.Rates.Input);
    }

    [Fact]
    public void TryFind_ProviderInAnotherCase_FindsTheModel()
    {
        Assert.True(_builtIn.TryFind("OpenAI", "GPT-4O", s_now, out var entry));

        Assert.Equal("openai", entry.Provider);
        Assert.Equal("gpt-4o", entry.Model);
    }

    [Fact]
    public void Knows_ModelOfAnotherProvider_IsFalse()
    {
        Assert.True(_builtIn.Knows("openai", "gpt-4o"));
        Assert.False(_builtIn.Knows("anthropic", "gpt-4o"));
        Assert.False(_builtIn.TryFind("anthropic", "gpt-4o", s_now, out _));
    }

    [Fact]
    public void Knows_RetiredModel_IsTrueThoughItHasNoPriceNow()
    {
        Assert.True(_builtIn.Knows("deepseek", "deepseek-chat"));
        Assert.False(_builtIn.TryFind("deepseek", "deepseek-chat", s_now, out _));
    }

    [Theory]
    [InlineData("openai", "gpt-9")]
    [InlineData("openai", "gpt-4o-audio-preview")]
    [InlineData("nobody", "gpt-4o")]
    public void Resolve_UnknownModel_ReturnsNull(string provider, string model)
    {
        Assert.Null(_builtIn.Resolve(provider, model));
        Assert.False(_builtIn.Knows(provider, model));
        Assert.False(_builtIn.TryFind(provider, model, s_now, out var entry));
        Assert.Null(entry);
    }

    [Theory]
    [InlineData("", "gpt-4o")]
    [InlineData("openai", "")]
    public void TryFind_EmptyName_ReturnsFalse(string provider, string model)
    {
        Assert.False(_builtIn.TryFind(provider, model, s_now, out _));
    }

    [Fact]
    public void TryFind_EmptyBook_ReturnsFalse()
    {
        Assert.False(PriceBook.Empty.TryFind("openai", "gpt-4o", s_now, out _));
        Assert.Empty(PriceBook.Empty.Entries);
    }

    [Fact]
    public void TryFind_AtPeriodBoundaries_FromIsInclusiveUntilIsExclusive()
    {
        var book = new PriceBook([Entry(1m, null, s_priceChange), Entry(2m, s_priceChange, s_retirement)]);

        Assert.Equal(1m, InputAt(book, s_priceChange.AddTicks(-1)));
        Assert.Equal(2m, InputAt(book, s_priceChange));
        Assert.Equal(2m, InputAt(book, s_retirement.AddTicks(-1)));
        Assert.False(book.TryFind("openai", "m", s_retirement, out _));
        Assert.Equal(1m, InputAt(book, DateTimeOffset.MinValue));
    }

    [Fact]
    public void TryFind_EntriesGivenInAnyOrder_PicksThePeriodInForce()
    {
        var book = new PriceBook([Entry(2m, s_priceChange, null), Entry(1m, null, s_priceChange)]);

        Assert.Equal(1m, InputAt(book, s_priceChange.AddDays(-1)));
        Assert.Equal(2m, InputAt(book, s_priceChange.AddDays(1)));
    }

    [Fact]
    public void TryFind_TimeInAnotherOffset_ComparesInstants()
    {
        var book = new PriceBook([Entry(1m, null, s_priceChange), Entry(2m, s_priceChange, null)]);
        var sameInstantInTokyo = s_priceChange.ToOffset(TimeSpan.FromHours(9));

        Assert.Equal(2m, InputAt(book, sameInstantInTokyo));
        Assert.Equal(1m, InputAt(book, sameInstantInTokyo.AddSeconds(-1)));
    }

    [Fact]
    public void TryFind_BuiltInO3AroundThePriceCut_SwitchesAtMidnight()
    {
        var cut = new DateTimeOffset(2025, 6, 10, 0, 0, 0, TimeSpan.Zero);

        Assert.True(_builtIn.TryFind("openai", "o3", cut.AddTicks(-1), out var before));
        Assert.True(_builtIn.TryFind("openai", "o3-2025-04-16", cut, out var after));

        Assert.Equal(10m, before.Rates.Input);
        Assert.Equal(40m, before.Rates.Output);
        Assert.Equal(2m, after.Rates.Input);
        Assert.Equal(8m, after.Rates.Output);
    }

    [Fact]
    public void WithOverrides_OverrideOfBuiltInModel_WinsAndIsMarked()
    {
        var overridden = _builtIn.WithOverrides([Entry(3m, null, null, "gpt-4o")]);

        Assert.True(overridden.TryFind("openai", "gpt-4o-2024-08-06", s_now, out var entry));

        Assert.Equal(3m, entry.Rates.Input);
        Assert.True(entry.IsOverride);
        Assert.True(_builtIn.TryFind("openai", "gpt-4o", s_now, out var original));
        Assert.Equal(2.5m, original.Rates.Input);
        Assert.False(original.IsOverride);
    }

    [Fact]
    public void WithOverrides_OverrideStartingLater_LeavesEarlierCallsOnBuiltInPrices()
    {
        var overridden = _builtIn.WithOverrides([Entry(3m, s_priceChange, null, "gpt-4o")]);

        Assert.Equal(2.5m, InputAt(overridden, s_priceChange.AddTicks(-1), "gpt-4o"));
        Assert.Equal(3m, InputAt(overridden, s_priceChange, "gpt-4o"));
    }

    [Fact]
    public void WithOverrides_AppliedTwice_ReplacesTheEarlierOverrides()
    {
        var first = _builtIn.WithOverrides([Entry(3m, null, null, "gpt-4o"), Entry(7m, null, null, "custom")]);

        var second = first.WithOverrides([Entry(4m, null, null, "gpt-4o")]);

        Assert.Equal(4m, InputAt(second, s_now, "gpt-4o"));
        Assert.False(second.Knows("openai", "custom"));
        Assert.Equal(_builtIn.Entries.Count + 1, second.Entries.Count);
    }

    [Fact]
    public void WithOverrides_NewModel_KeepsBuiltInAliases()
    {
        var overridden = _builtIn.WithOverrides([Entry(7m, null, null, "custom")]);

        Assert.Equal(7m, InputAt(overridden, s_now, "custom"));
        Assert.Equal("anthropic/claude-sonnet-4", overridden.Resolve("anthropic", "claude-sonnet-4-0"));
    }

    [Fact]
    public void TryFind_RepeatedLookups_StayCorrectAcrossTimesAndBooks()
    {
        var book = new PriceBook([Entry(1m, null, s_priceChange), Entry(2m, s_priceChange, null)]);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1m, InputAt(book, s_priceChange.AddDays(-1)));
            Assert.Equal(2m, InputAt(book, s_priceChange.AddDays(1)));
            Assert.False(book.TryFind("openai", "unknown", s_now, out _));
            Assert.False(book.TryFind("anthropic", "m", s_now, out _));
        }

        Assert.False(PriceBook.Empty.TryFind("openai", "m", s_now, out _));
        Assert.Equal(3m, InputAt(book.WithOverrides([Entry(3m, null, null)]), s_now));
    }

    [Fact]
    public void TryFind_MoreNamesThanTheMemoHolds_StillResolvesEveryName()
    {
        var book = BuiltInPriceBook.Create();

        for (var i = 0; i < 5000; i++)
        {
            Assert.True(book.TryFind("openai", $"gpt-4o-mini-{20_300_000 + i}", s_now, out var entry));
            Assert.Equal(0.15m, entry.Rates.Input);
        }

        Assert.True(book.TryFind("openai", "gpt-4.1-nano-2025-04-14", s_now, out var late));
        Assert.Equal(0.1m, late.Rates.Input);
        Assert.False(book.TryFind("openai", "gpt-4o-mini-tiny", s_now, out _));
    }

    [Fact]
    public void Key_MixedCase_IsLowerCase()
    {
        Assert.Equal("openai/gpt-4o", PriceBook.Key("OpenAI", "GPT-4o"));
    }

    private static decimal? InputAt(PriceBook book, DateTimeOffset at, string model = "m") =>
        book.TryFind("openai", model, at, out var entry) ? entry.Rates.Input : null;

    private static PriceEntry Entry(decimal input, DateTimeOffset? from, DateTimeOffset? until, string model = "m") => new()
    {
        Provider = "openai",
        Model = model,
        EffectiveFrom = from,
        EffectiveUntil = until,
        Rates = new PriceRates { Input = input, Output = input * 4 },
        Source = "test",
        SourceDate = new DateOnly(2026, 1, 1),
    };
}
