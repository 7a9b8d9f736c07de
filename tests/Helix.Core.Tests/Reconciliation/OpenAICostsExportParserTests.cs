using Helix.Core.Reconciliation;
using Xunit;

namespace Helix.Core.Tests.Reconciliation;

public sealed class OpenAICostsExportParserTests
{
    private readonly OpenAICostsExportParser _parser = new();

    [Fact]
    public void Parse_ArrayOfPages_ReadsEveryLineWithCanonicalModelAndClass()
    {
        var export = _parser.Parse(ExportFiles.Read("openai-costs.json"));

        Assert.Equal("openai", export.Provider);
        Assert.Equal(
            [
                new BilledLine("openai", new DateOnly(2026, 11, 1), "gpt-4o-mini", "input", "proj_alpha", 0.06m, null, null),
                new BilledLine("openai", new DateOnly(2026, 11, 1), "gpt-4o-mini", "output", "proj_alpha", 0.12m, null, null),
                new BilledLine("openai", new DateOnly(2026, 11, 1), "gpt-4o-mini", "cached_input", "proj_beta", 0.0075m, null, null),
                new BilledLine("openai", new DateOnly(2026, 11, 1), "gpt-4o", "input", "proj_alpha", 1.25m, null, null),
                new BilledLine("openai", new DateOnly(2026, 11, 1), "gpt-4o", "output", "proj_alpha", 0.0025m, null, null),
                new BilledLine("openai", new DateOnly(2026, 11, 1), "unknown", null, null, 0.33m, null, null),
                new BilledLine("openai", new DateOnly(2026, 11, 2), "gpt-4.1", "input", "proj_alpha", 0.1m, null, null),
                new BilledLine("openai", new DateOnly(2026, 11, 2), "gpt-4.1", "output", "proj_alpha", 0.2m, null, null),
                new BilledLine("openai", new DateOnly(2026, 11, 2), "web search tool calls", null, "proj_alpha", 0.000123456789m, null, null),
            ],
            export.Lines);
    }

    [Fact]
    public void Parse_EmptyLastBucket_PeriodCoversIt()
    {
        var export = _parser.Parse(ExportFiles.Read("openai-costs.json"));

        Assert.Equal(new DateOnly(2026, 11, 1), export.From);
        Assert.Equal(new DateOnly(2026, 11, 3), export.To);
    }

    [Fact]
    public void Parse_DecimalAmounts_SumExactly()
    {
        var export = _parser.Parse(ExportFiles.Read("openai-costs.json"));

        Assert.Equal(2.070123456789m, export.Lines.Sum(l => l.AmountUsd));
        Assert.Equal(0.3m, export.Lines.Where(l => l.Model == "gpt-4.1").Sum(l => l.AmountUsd));
    }

    [Fact]
    public void Parse_SinglePageObject_ReadsIt()
    {
        const string json = """
            {"object":"page","data":[{"object":"bucket","start_time":1793491200,"end_time":1793577600,
              "results":[{"object":"organization.costs.result","amount":{"value":0.06,"currency":"usd"},"line_item":"o3, output","project_id":null}]}],
             "has_more":false,"next_page":null}
            """;

        var export = _parser.Parse(json);

        var line = Assert.Single(export.Lines);
        Assert.Equal(new BilledLine("openai", new DateOnly(2026, 11, 1), "o3", "output", null, 0.06m, null, null), line);
        Assert.Equal(export.From, export.To);
    }

    [Fact]
    public void Parse_AmountIsNotANumber_ThrowsNamingTheField()
    {
        const string json = """
            {"object":"page","data":[{"start_time":1793491200,"end_time":1793577600,
              "results":[{"amount":{"value":"abc","currency":"usd"},"line_item":"o3, output"}]}]}
            """;

        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse(json));

        Assert.Equal("$.data[0].results[0].amount.value", ex.Field);
        Assert.Contains("'abc' is not a number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingStartTime_ThrowsNamingTheField()
    {
        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse("""{"data":[{"results":[]}]}"""));

        Assert.Equal("$.data[0].start_time", ex.Field);
    }

    [Fact]
    public void Parse_TruncatedJson_ThrowsWithLine()
    {
        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse("{\"data\":[\n{\"start_time\":1793491200,\n"));

        Assert.NotNull(ex.Line);
        Assert.StartsWith("OpenAI costs export: the export is not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonUsdCurrency_Throws()
    {
        const string json = """
            {"data":[{"start_time":1793491200,"end_time":1793577600,
              "results":[{"amount":{"value":1.5,"currency":"eur"},"line_item":"o3, output"}]}]}
            """;

        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse(json));

        Assert.Contains("'eur' is not USD", ex.Message, StringComparison.Ordinal);
    }
}
