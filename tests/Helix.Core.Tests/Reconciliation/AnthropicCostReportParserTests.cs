using Helix.Core.Reconciliation;
using Xunit;

namespace Helix.Core.Tests.Reconciliation;

public sealed class AnthropicCostReportParserTests
{
    private readonly AnthropicCostReportParser _parser = new();

    [Fact]
    public void Parse_CostReport_ConvertsCentsToDollars()
    {
        var export = _parser.Parse(ExportFiles.Read("anthropic-cost-report.json"));

        Assert.Equal(
            [
                new BilledLine("anthropic", new DateOnly(2026, 11, 1), "claude-sonnet-4-5", "input", null, 1.2345m, null, null),
                new BilledLine("anthropic", new DateOnly(2026, 11, 1), "claude-sonnet-4-5", "cache_write_1h", "wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ", 0.04614m, null, null),
                new BilledLine("anthropic", new DateOnly(2026, 11, 1), "claude-haiku-4-5", "output", null, 0.000001m, null, null),
                new BilledLine("anthropic", new DateOnly(2026, 11, 2), "claude-sonnet-4-5", "input_long_context", null, 2.5m, null, null),
                new BilledLine("anthropic", new DateOnly(2026, 11, 2), "claude-sonnet-4-5", "web_search", null, 0.01m, null, null),
            ],
            export.Lines);
        Assert.Equal(new DateOnly(2026, 11, 1), export.From);
        Assert.Equal(new DateOnly(2026, 11, 2), export.To);
    }

    [Fact]
    public void Parse_ManySmallAmounts_SumsBeforeRounding()
    {
        var results = string.Join(",", Enumerable.Repeat(
            """{"currency":"USD","amount":"0.004","cost_type":"tokens","model":"claude-haiku-4-5","token_type":"output_tokens"}""", 1000));
        var json = $$"""{"data":[{"starting_at":"2026-11-01T00:00:00Z","ending_at":"2026-11-02T00:00:00Z","results":[{{results}}]}],"has_more":false}""";

        var export = _parser.Parse(json);

        Assert.Equal(0.04m, export.Lines.Sum(l => l.AmountUsd));
        Assert.All(export.Lines, l => Assert.Equal(0.00004m, l.AmountUsd));
    }

    [Fact]
    public void Parse_AmountIsNotANumber_ThrowsNamingTheField()
    {
        const string json = """
            {"data":[{"starting_at":"2026-11-01T00:00:00Z","ending_at":"2026-11-02T00:00:00Z",
              "results":[{"currency":"USD","amount":"12,34","model":"claude-opus-4-5","token_type":"output_tokens"}]}]}
            """;

        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse(json));

        Assert.Equal("$.data[0].results[0].amount", ex.Field);
    }

    [Fact]
    public void Parse_BadTimestamp_ThrowsNamingTheField()
    {
        const string json = """{"data":[{"starting_at":"yesterday","results":[]}]}""";

        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse(json));

        Assert.Equal("$.data[0].starting_at", ex.Field);
    }

    [Fact]
    public void Parse_DataIsNotAnArray_Throws()
    {
        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse("""{"data":{"results":[]}}"""));

        Assert.Equal("$.data", ex.Field);
    }
}
