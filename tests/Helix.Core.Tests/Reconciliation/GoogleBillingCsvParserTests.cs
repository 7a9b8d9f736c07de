using Helix.Core.Reconciliation;
using Xunit;

namespace Helix.Core.Tests.Reconciliation;

public sealed class GoogleBillingCsvParserTests
{
    private const string Header = "service.description,sku.description,usage_start_time,project.id,cost,currency,credits,usage.amount,usage.unit";

    private readonly GoogleBillingCsvParser _parser = new();

    [Fact]
    public void Parse_BillingExport_ReadsGeminiRowsWithNetCost()
    {
        var export = _parser.Parse(ExportFiles.Read("google-billing.csv"));

        Assert.Equal("gemini", export.Provider);
        Assert.Equal(
            [
                new BilledLine("gemini", new DateOnly(2026, 11, 1), "gemini-2.5-flash", "input", "helix-prod", 0.2m, 1_000_000, null),
                new BilledLine("gemini", new DateOnly(2026, 11, 1), "gemini-2.5-flash", "output", "helix-prod", 2.5m, 1_000_000, null),
                new BilledLine("gemini", new DateOnly(2026, 11, 1), "gemini-2.5-flash-lite", "cached_input", "helix-prod", 0.0005m, 100_000, null),
                new BilledLine("gemini", new DateOnly(2026, 11, 2), "gemini-2.5-pro", "output_long_context", "helix-batch", 0.15m, 10_000, null),
                new BilledLine("gemini", new DateOnly(2026, 11, 2), "gemini-2.5-pro", "reasoning", "helix-prod", 0.02m, 2_000, null),
                new BilledLine("gemini", new DateOnly(2026, 11, 2), "gemini-2.5-pro", "cache_storage", "helix-prod", 0.45m, null, null),
                new BilledLine("gemini", new DateOnly(2026, 11, 2), "unknown:imagen 4 fast image generation", null, "helix-prod", 0.04m, null, null),
            ],
            export.Lines);
        Assert.Equal(new DateOnly(2026, 11, 1), export.From);
        Assert.Equal(new DateOnly(2026, 11, 2), export.To);
    }

    [Fact]
    public void Parse_QuotedFieldWithCommasQuotesAndLineBreak_ReadsOneRecord()
    {
        var csv = Header + "\n"
            + "Generative Language API,\"Gemini 2.0 Flash, \"\"Input\"\"\nText Tokens\",2026-11-03 00:00:00 UTC,p1,0.5,USD,,1000,tokens\n"
            + "Generative Language API,Gemini 2.0 Flash Output Tokens,2026-11-03 00:00:00 UTC,p1,0.25,USD,,500,tokens\n";

        var export = _parser.Parse(csv);

        Assert.Equal(
            [
                new BilledLine("gemini", new DateOnly(2026, 11, 3), "gemini-2.0-flash", "input", "p1", 0.5m, 1000, null),
                new BilledLine("gemini", new DateOnly(2026, 11, 3), "gemini-2.0-flash", "output", "p1", 0.25m, 500, null),
            ],
            export.Lines);
    }

    [Fact]
    public void Parse_CreditsAsNumberAndCreditsColumnAbsent_NetCost()
    {
        var withNumber = _parser.Parse(Header + "\nGemini API,Gemini 2.5 Pro Input Tokens,2026-11-03T00:00:00Z,p,1.25,USD,-1.25,1000000,tokens\n");
        var withoutColumn = _parser.Parse(
            "service.description,sku.description,usage_start_time,cost,currency\nGemini API,Gemini 2.5 Pro Input Tokens,2026-11-03T00:00:00Z,1.25,USD\n");

        Assert.Equal(0m, Assert.Single(withNumber.Lines).AmountUsd);
        Assert.Equal(new BilledLine("gemini", new DateOnly(2026, 11, 3), "gemini-2.5-pro", "input", null, 1.25m, null, null), Assert.Single(withoutColumn.Lines));
    }

    [Fact]
    public void Parse_SeveralCredits_SubtractsTheirSum()
    {
        var csv = Header + "\nGemini API,Gemini 2.5 Flash Output Tokens,2026-11-03T00:00:00Z,p,1,USD,"
            + "\"[{\"\"name\"\":\"\"FreeTier\"\",\"\"amount\"\":-0.25},{\"\"name\"\":\"\"Promo\"\",\"\"amount\"\":-0.125}]\",400000,tokens\n";

        var line = Assert.Single(_parser.Parse(csv).Lines);

        Assert.Equal(0.625m, line.AmountUsd);
    }

    [Fact]
    public void Parse_LongestSkuPatternWins()
    {
        var table = GeminiSkuTable.Default;

        Assert.Equal("gemini-2.5-flash-lite", table.Match("Gemini 2.5 Flash Lite Output Tokens"));
        Assert.Equal("gemini-2.5-flash-lite", table.Match("gemini 2.5 FLASH-LITE input"));
        Assert.Equal("gemini-2.5-flash", table.Match("Gemini 2.5 Flash Output Tokens"));
        Assert.Null(table.Match("Gemini 2.5 Flashy Output"));
    }

    [Fact]
    public void Parse_CustomSkuTable_MapsItsPatterns()
    {
        var parser = new GoogleBillingCsvParser(new GeminiSkuTable([new("Nano Banana", "gemini-2.5-flash-image")]));

        var line = Assert.Single(parser.Parse(Header + "\nVertex AI,Nano Banana Output Image Tokens,2026-11-03T00:00:00Z,p,0.039,USD,,1290,tokens\n").Lines);

        Assert.Equal("gemini-2.5-flash-image", line.Model);
        Assert.Equal("output_image", line.TokenClass);
    }

    [Fact]
    public void Parse_NonUsdCurrency_ThrowsNamingTheLine()
    {
        var csv = Header + "\nGemini API,Gemini 2.5 Flash Output Tokens,2026-11-03T00:00:00Z,p,1,USD,,1,tokens\n"
            + "Gemini API,Gemini 2.5 Flash Output Tokens,2026-11-03T00:00:00Z,p,1,EUR,,1,tokens\n";

        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse(csv));

        Assert.Equal(3, ex.Line);
        Assert.Equal("currency", ex.Field);
        Assert.Contains("'EUR' is not USD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonUsdRowOfAnotherService_IsIgnored()
    {
        var export = _parser.Parse(Header + "\nCompute Engine,N2 Instance Core,2026-11-03T00:00:00Z,p,1,EUR,,1,hour\n");

        Assert.Empty(export.Lines);
    }

    [Fact]
    public void Parse_UnclosedQuote_ThrowsNamingTheLine()
    {
        var csv = Header + "\nGemini API,\"Gemini 2.5 Flash Output Tokens,2026-11-03T00:00:00Z,p,1,USD,,1,tokens\n";

        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse(csv));

        Assert.Equal(2, ex.Line);
        Assert.Contains("never closed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongFieldCount_ThrowsNamingTheLine()
    {
        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse(Header + "\nGemini API,Gemini 2.5 Flash Output Tokens,1\n"));

        Assert.Equal(2, ex.Line);
        Assert.Contains("3 fields where the header has 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingCostColumn_ThrowsNamingTheColumn()
    {
        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse("service.description,sku.description,usage_start_time,currency\n"));

        Assert.Equal("cost", ex.Field);
    }

    [Fact]
    public void Parse_BadCost_ThrowsNamingLineAndField()
    {
        var ex = Assert.Throws<BillingExportFormatException>(() =>
            _parser.Parse(Header + "\nGemini API,Gemini 2.5 Flash Output Tokens,2026-11-03T00:00:00Z,p,$1.00,USD,,1,tokens\n"));

        Assert.Equal(2, ex.Line);
        Assert.Equal("cost", ex.Field);
    }

    [Fact]
    public void Parse_CreditsWithoutAmounts_Throws()
    {
        var ex = Assert.Throws<BillingExportFormatException>(() =>
            _parser.Parse(Header + "\nGemini API,Gemini 2.5 Flash Output Tokens,2026-11-03T00:00:00Z,p,1,USD,[free tier],1,tokens\n"));

        Assert.Equal(2, ex.Line);
        Assert.Equal("credits", ex.Field);
    }
}
