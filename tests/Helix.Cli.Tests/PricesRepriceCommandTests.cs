using System.Text.Json;
using Xunit;

namespace Helix.Cli.Tests;

public sealed class PricesRepriceCommandTests
{
    private const string Answer = """{"examined":10,"changed":3,"stillUnpriced":1,"skipped":2,"deltaUsd":"0.0123"}""";

    [Fact]
    public async Task Reprice_PostsTheRangeAndPrintsTheCounts()
    {
        await using var api = await FakeAdminApi.StartAsync(Answer);

        var run = await CliRun.RunAsync(
            ["prices", "reprice", "--from", "2026-11-01", "--to", "2026-11-02T00:00:00Z", "--provider", "openai", "--url", api.Url, "--admin-key", "K"]);

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("/admin/api/logs/reprice", request.Path);
        Assert.Equal("Bearer K", request.Authorization);
        Assert.Equal("application/json", request.ContentType);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), body.RootElement.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), body.RootElement.GetProperty("to").GetDateTimeOffset());
        Assert.Equal("openai", body.RootElement.GetProperty("provider").GetString());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("model").ValueKind);
        Assert.Contains("10 examined, 3 changed, 1 still unpriced, 2 skipped", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Change in total cost: +0.012300000 USD", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reprice_Json_PrintsTheAnswer()
    {
        await using var api = await FakeAdminApi.StartAsync(Answer);

        var run = await CliRun.RunAsync(["prices", "reprice", "--from", "2026-11-01", "--to", "2026-11-02", "--url", api.Url, "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var printed = JsonDocument.Parse(run.Stdout);
        Assert.Equal(3, printed.RootElement.GetProperty("changed").GetInt32());
    }

    [Fact]
    public async Task Reprice_EmptyRange_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["prices", "reprice", "--from", "2026-11-02", "--to", "2026-11-01"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--to must be after --from.", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("helix prices reprice --help", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reprice_MissingRange_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["prices", "reprice", "--from", "2026-11-02"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Option '--to' is required.", run.Stderr, StringComparison.Ordinal);
    }
}
