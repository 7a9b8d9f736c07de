using Helix.Core.Reconciliation;
using Xunit;

namespace Helix.Core.Tests.Reconciliation;

public sealed class ReconciliationFormatsTests
{
    [Theory]
    [InlineData("openai", typeof(OpenAICostsExportParser))]
    [InlineData("anthropic", typeof(AnthropicCostReportParser))]
    [InlineData("gemini", typeof(GoogleBillingCsvParser))]
    [InlineData("Google", typeof(GoogleBillingCsvParser))]
    [InlineData("deepgram", typeof(DeepgramUsageExportParser))]
    public void Get_SupportedProvider_ReturnsItsParser(string provider, Type parserType)
    {
        var parser = ReconciliationFormats.Get(provider);

        Assert.IsType(parserType, parser);
        Assert.Equal(BilledModelNames.NormalizeProvider(provider), parser.Provider);
    }

    [Fact]
    public void Get_DeepSeek_SaysThereIsNoExportApi()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReconciliationFormats.Get("deepseek"));

        Assert.Contains("DeepSeek has no usage or cost export API", ex.Message, StringComparison.Ordinal);
        Assert.Contains("openai, anthropic, gemini (alias google), deepgram", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownProvider_ListsSupportedOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReconciliationFormats.Get("mistral"));

        Assert.Contains("'mistral'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("openai, anthropic, gemini (alias google), deepgram", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["openai", "anthropic", "gemini", "deepgram"], ReconciliationFormats.SupportedProviders);
    }
}
