using Helix.Core.Pricing;
using Helix.Core.Reconciliation;
using Xunit;

namespace Helix.Core.Tests.Reconciliation;

public sealed class BilledModelNamesTests
{
    [Theory]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("openai/gpt-4o-mini", "gpt-4o-mini")]
    [InlineData("Claude-Sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("models/gemini-2.5-flash", "gemini-2.5-flash")]
    [InlineData("gemini/models/gemini-2.5-flash", "gemini-2.5-flash")]
    [InlineData("  ", "unknown")]
    [InlineData(null, "unknown")]
    public void Normalize_AnySpelling_GivesCanonicalName(string? model, string expected)
    {
        Assert.Equal(expected, BilledModelNames.Normalize(model));
    }

    [Fact]
    public void Normalize_WithPriceBook_AppliesItsAliases()
    {
        var book = new PriceBook(
            [new PriceEntry { Provider = "openai", Model = "gpt-4o", Rates = new PriceRates { Input = 2.5m, Output = 10m }, Source = "test", SourceDate = new DateOnly(2026, 11, 1) }],
            [new KeyValuePair<string, string>("openai/chatgpt-4o-latest", "openai/gpt-4o")]);

        Assert.Equal("gpt-4o", BilledModelNames.Normalize("openai", "chatgpt-4o-latest", book));
        Assert.Equal("o3", BilledModelNames.Normalize("openai", "o3-2025-04-16", book));
    }

    [Theory]
    [InlineData("Google", "gemini")]
    [InlineData("OpenAI", "openai")]
    public void NormalizeProvider_Alias_GivesHelixId(string provider, string expected)
    {
        Assert.Equal(expected, BilledModelNames.NormalizeProvider(provider));
    }

    [Theory]
    [InlineData("gpt-4o, cached input", "cached_input")]
    [InlineData("Gemini 2.5 Flash Cached Audio Input Tokens", "cached_input_audio")]
    [InlineData("Gemini 2.5 Pro Input Tokens >200K", "input_long_context")]
    [InlineData("cache_creation.ephemeral_1h_input_tokens", "cache_write_1h")]
    [InlineData("Gemini 2.5 Flash Thinking Output Tokens", "reasoning")]
    [InlineData("Gemini 2.5 Flash Audio Input", "input_audio")]
    [InlineData("Web Search", null)]
    public void FromWords_SkuOrLineItemText_GivesTokenClass(string text, string? expected)
    {
        Assert.Equal(expected, TokenClasses.FromWords(text));
    }
}
