using Helix.Core.Reconciliation;
using Xunit;

namespace Helix.Core.Tests.Reconciliation;

public sealed class DeepgramUsageExportParserTests
{
    private const string Project = "a1b2c3d4-0000-4000-8000-000000000001";

    private readonly DeepgramUsageExportParser _parser = new();

    [Fact]
    public void Parse_RequestList_OneLinePerPricedRequest()
    {
        var export = _parser.Parse(ExportFiles.Read("deepgram-requests.json"));

        Assert.Equal(
            [
                new BilledLine("deepgram", new DateOnly(2026, 11, 24), "nova-3", null, Project, 0.0089m, null, "6b1c2a44-0f6e-4f4e-9a57-1d2f3c4b5a60"),
                new BilledLine("deepgram", new DateOnly(2026, 11, 24), "nova-2", null, Project, 0.0129m, null, "7c2d3b55-1a7f-4a5f-8b68-2e3f4d5c6b71"),
                new BilledLine("deepgram", new DateOnly(2026, 11, 25), "nova-3", null, Project, 0.0462m, null, "8d3e4c66-2b80-4b60-9c79-3f405e6d7c82"),
                new BilledLine("deepgram", new DateOnly(2026, 11, 25), "unknown", null, Project, 0.0043m, null, "af506e88-4da2-4d82-9e9b-51627080ae04"),
            ],
            export.Lines);
        Assert.Equal(new DateOnly(2026, 11, 24), export.From);
        Assert.Equal(new DateOnly(2026, 11, 25), export.To);
    }

    [Fact]
    public void Parse_ArrayOfPages_ReadsEveryPage()
    {
        const string json = """
            [{"page":0,"limit":1,"requests":[{"request_id":"r1","created":"2026-11-24T10:00:00Z","path":"/v1/listen?model=Nova-3%2Dmedical",
               "response":{"details":{"usd":0.0077},"code":200}}]},
             {"page":1,"limit":1,"requests":[{"request_id":"r2","created":"2026-11-24T11:00:00Z","path":"/v1/speak?model=aura-2-thalia-en",
               "response":{"details":{"usd":0.03},"code":200}}]}]
            """;

        var export = _parser.Parse(json);

        Assert.Equal(["nova-3-medical", "aura-2-thalia-en"], export.Lines.Select(l => l.Model));
        Assert.Equal(0.0377m, export.Lines.Sum(l => l.AmountUsd));
    }

    [Fact]
    public void Parse_MissingRequestId_ThrowsNamingTheField()
    {
        const string json = """{"page":0,"requests":[{"created":"2026-11-24T10:00:00Z","response":{"details":{"usd":0.01}}}]}""";

        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse(json));

        Assert.Equal("$.requests[0].request_id", ex.Field);
    }

    [Fact]
    public void Parse_UsdIsNotANumber_ThrowsNamingTheField()
    {
        const string json = """{"requests":[{"request_id":"r1","created":"2026-11-24T10:00:00Z","response":{"details":{"usd":true}}}]}""";

        var ex = Assert.Throws<BillingExportFormatException>(() => _parser.Parse(json));

        Assert.Equal("$.requests[0].response.details.usd", ex.Field);
    }

    [Fact]
    public void Parse_NotJson_Throws()
    {
        Assert.Throws<BillingExportFormatException>(() => _parser.Parse("request_id,usd\nr1,0.01\n"));
    }
}
