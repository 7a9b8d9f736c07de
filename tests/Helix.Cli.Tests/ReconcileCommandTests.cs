using System.Text.Json;
using Helix.Core.Reconciliation;
using Xunit;

namespace Helix.Cli.Tests;

public sealed class ReconcileCommandTests
{
    private static readonly string s_openAIExport = CliRun.File("Exports/openai-costs.json");

    [Fact]
    public async Task Reconcile_OutOfTolerance_PrintsEveryBucketAndExitsOne()
    {
        await using var api = await FakeAdminApi.StartAsync(Report(passed: false).ToJson());

        var run = await CliRun.RunAsync(["reconcile", "--provider", "openai", "--file", s_openAIExport, "--url", api.Url, "--admin-key", "K"]);

        Assert.Equal(1, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/admin/api/reconciliations", request.Path);
        Assert.Equal("openai", request.QueryValues["provider"]);
        Assert.Equal("0.01", request.QueryValues["tolerance"]);
        Assert.Equal("Bearer K", request.Authorization);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal(await File.ReadAllBytesAsync(s_openAIExport, TestContext.Current.CancellationToken), request.Body);
        Assert.Contains("Reconciliation of openai, 2026-11-20 to 2026-11-21 (tolerance 1%): FAILED", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"2026-11-20\s+gpt-4o\s+1\.000000000\s+1\.002000000\s+-0\.002000000\s+-0\.1996%\s+ok", run.Stdout);
        Assert.Matches(@"2026-11-21\s+gpt-4o-mini\s+0\.500000000\s+0\.250000000\s+0\.250000000\s+100%\s+OUT", run.Stdout);
        Assert.Matches(@"2026-11-21\s+o3\s+0\.100000000\s+0\.000000000\s+0\.100000000\s+100%\s+only in log", run.Stdout);
        Assert.Matches(@"total\s+1\.600000000\s+1\.252000000\s+0\.348000000\s+27\.7955%\s+OUT", run.Stdout);
        Assert.Contains("Mispriced models: gpt-4o-mini", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("2026-11-21 gpt-4o-mini: rate difference: our price is twice the billed one", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("req_1", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_WithinTolerance_ExitsZero()
    {
        await using var api = await FakeAdminApi.StartAsync(Report(passed: true).ToJson());

        var run = await CliRun.RunAsync(["reconcile", "--provider", "openai", "--file", s_openAIExport, "--url", api.Url]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(": PASSED", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", Assert.Single(api.Requests).Authorization);
    }

    [Fact]
    public async Task Reconcile_CsvExport_IsPostedAsCsvWithTheTolerance()
    {
        await using var api = await FakeAdminApi.StartAsync(Report(passed: true).ToJson());

        var run = await CliRun.RunAsync(
            ["reconcile", "--provider", "Gemini", "--file", CliRun.File("Exports/google-billing.csv"), "--tolerance", "0.005", "--url", api.Url]);

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("text/csv", request.ContentType);
        Assert.Equal("gemini", request.QueryValues["provider"]);
        Assert.Equal("0.005", request.QueryValues["tolerance"]);
    }

    [Fact]
    public async Task Reconcile_ExportWithoutATellingExtension_IsSniffed()
    {
        await using var api = await FakeAdminApi.StartAsync(Report(passed: true).ToJson());

        var run = await CliRun.RunAsync(
            ["reconcile", "--provider", "deepgram", "--file", CliRun.File("Exports/deepgram-requests.export"), "--url", api.Url]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("application/json", Assert.Single(api.Requests).ContentType);
    }

    [Fact]
    public async Task Reconcile_Json_PrintsTheReportAndKeepsTheExitCode()
    {
        await using var api = await FakeAdminApi.StartAsync(Report(passed: false).ToJson());

        var run = await CliRun.RunAsync(["reconcile", "--provider", "openai", "--file", s_openAIExport, "--url", api.Url, "--json"]);

        Assert.Equal(1, run.ExitCode);
        var report = ReconciliationReport.FromJson(run.Stdout);
        Assert.False(report.Passed);
        Assert.Equal(3, report.Buckets.Count);
        Assert.Equal(1.252m, report.Totals.TheirsUsd);
    }

    [Theory]
    [InlineData("1.5", "--tolerance is a fraction from 0 to 1 (0.01 is 1%), not 1.5.")]
    [InlineData("-0.1", "--tolerance is a fraction from 0 to 1")]
    [InlineData("1%", "--tolerance needs a number such as 0.01")]
    public async Task Reconcile_BadTolerance_ExitsTwoWithoutCallingTheGateway(string tolerance, string message)
    {
        await using var api = await FakeAdminApi.StartAsync(Report(passed: true).ToJson());

        var run = await CliRun.RunAsync(["reconcile", "--provider", "openai", "--file", s_openAIExport, "--tolerance", tolerance, "--url", api.Url]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Reconcile_MissingFileOption_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["reconcile", "--provider", "openai"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Option '--file' is required.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_UnreadableExport_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["reconcile", "--provider", "openai", "--file", "missing.csv", "--url", "http://127.0.0.1:1"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Cannot read the billing export 'missing.csv': no such file.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_GatewayRejectsTheExport_PrintsTheProblemAndExitsTwo()
    {
        await using var api = await FakeAdminApi.StartAsync(
            """{"title":"Invalid export","status":400,"detail":"DeepSeek has no usage or cost export API."}""", status: 400);

        var run = await CliRun.RunAsync(["reconcile", "--provider", "deepseek", "--file", s_openAIExport, "--url", api.Url]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("The gateway answered 400 Bad Request: Invalid export: DeepSeek has no usage or cost export API.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_AnswerIsNotAReport_ExitsTwo()
    {
        await using var api = await FakeAdminApi.StartAsync("""{"hello":"world"}""");

        var run = await CliRun.RunAsync(["reconcile", "--provider", "openai", "--file", s_openAIExport, "--url", api.Url]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not a reconciliation report", run.Stderr, StringComparison.Ordinal);
    }

    private static ReconciliationReport Report(bool passed) => new()
    {
        Provider = "openai",
        From = new DateOnly(2026, 11, 20),
        To = new DateOnly(2026, 11, 21),
        CreatedAt = CliRun.Now,
        Passed = passed,
        Tolerance = 0.01m,
        AbsoluteToleranceUsd = 0.01m,
        Totals = new ReconciliationTotals
        {
            OursUsd = 1.6m,
            TheirsUsd = 1.252m,
            DifferenceUsd = 0.348m,
            DifferencePercent = 27.7955m,
            WithinTolerance = passed,
        },
        Buckets =
        [
            Bucket(new DateOnly(2026, 11, 20), "gpt-4o", 1m, 1.002m, -0.1996m, true),
            Bucket(new DateOnly(2026, 11, 21), "gpt-4o-mini", 0.5m, 0.25m, 100m, passed) with
            {
                Explanation = "rate difference: our price is twice the billed one",
            },
            Bucket(new DateOnly(2026, 11, 21), "o3", 0.1m, 0m, 100m, passed) with { Presence = BucketPresence.OnlyInLog },
        ],
        MispricedModels = passed ? [] : ["gpt-4o-mini"],
        RequestMismatches = [new RequestMismatch("req_1", new DateOnly(2026, 11, 21), "gpt-4o-mini", 0.02m, 0.01m, 0.01m)],
        Notes = ["OpenAI's costs are daily; buckets are UTC days."],
    };

    private static ReconciliationBucket Bucket(DateOnly day, string model, decimal ours, decimal theirs, decimal percent, bool within) => new()
    {
        Day = day,
        Model = model,
        Presence = BucketPresence.Both,
        OursUsd = ours,
        TheirsUsd = theirs,
        DifferenceUsd = ours - theirs,
        DifferencePercent = percent,
        WithinTolerance = within,
    };
}
