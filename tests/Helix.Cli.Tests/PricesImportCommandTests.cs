using System.Text.Json;
using Helix.Cli.Output;
using Helix.Core.Pricing;
using Helix.Core.Pricing.Import;
using Xunit;

namespace Helix.Cli.Tests;

public sealed class PricesImportCommandTests
{
    private static readonly string s_smallMap = CliRun.File("PriceMaps/litellm-small.json");
    private static readonly JsonSerializerOptions s_web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Offline_Json_ListsAddedChangedUnchangedAndRetiredAgainstTheBuiltInBook()
    {
        var run = await CliRun.RunAsync(["prices", "import", s_smallMap, "--offline", "--json"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        using var plan = JsonDocument.Parse(run.Stdout);
        var root = plan.RootElement;
        Assert.False(root.GetProperty("applied").GetBoolean());
        Assert.Equal("2026-11-24T12:00:00+00:00", root.GetProperty("effectiveFrom").GetString());
        var changed = Assert.Single(root.GetProperty("changed").EnumerateArray());
        Assert.Equal("openai", changed.GetProperty("provider").GetString());
        Assert.Equal("gpt-4o-transcribe", changed.GetProperty("model").GetString());
        var change = Assert.Single(changed.GetProperty("changes").EnumerateArray());
        Assert.Equal("inputAudio", change.GetProperty("field").GetString());
        Assert.Equal(6m, change.GetProperty("before").GetDecimal());
        Assert.Equal(2.5m, change.GetProperty("after").GetDecimal());
        var added = Assert.Single(root.GetProperty("added").EnumerateArray());
        Assert.Equal("gpt-99-preview", added.GetProperty("model").GetString());
        Assert.Equal(["input", "output"], added.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
        Assert.Equal(0.15m, added.GetProperty("changes")[0].GetProperty("after").GetDecimal());
        Assert.Equal("tts-1", Assert.Single(root.GetProperty("unchanged").EnumerateArray()).GetProperty("model").GetString());
        Assert.Equal("deepseek-chat", Assert.Single(root.GetProperty("retired").EnumerateArray()).GetProperty("model").GetString());
    }

    [Fact]
    public async Task Offline_EffectiveBeforeRetirement_FlagsDeepSeekChatsStaleRates()
    {
        var run = await CliRun.RunAsync(["prices", "import", s_smallMap, "--offline", "--effective-from", "2026-06-01T00:00:00Z", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var plan = JsonDocument.Parse(run.Stdout);
        var deepseek = plan.RootElement.GetProperty("changed").EnumerateArray()
            .Single(m => m.GetProperty("model").GetString() == "deepseek-chat");
        var changes = deepseek.GetProperty("changes").EnumerateArray()
            .ToDictionary(c => c.GetProperty("field").GetString()!, c => (c.GetProperty("before").GetDecimal(), c.GetProperty("after").GetDecimal()));
        Assert.Equal((0.14m, 0.28m), changes["input"]);
        Assert.Equal((0.0028m, 0.028m), changes["cacheRead"]);
        Assert.Equal((0.28m, 0.42m), changes["output"]);
    }

    [Fact]
    public async Task Offline_Text_PrintsBeforeAndAfterPerFieldAndChangesNothing()
    {
        var run = await CliRun.RunAsync(["prices", "import", s_smallMap, "--offline"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Import plan, effective from 2026-11-24T12:00:00+00:00: 1 added, 1 changed, 1 unchanged, 1 retired.", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("  openai/gpt-4o-transcribe", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"inputAudio\s+6\s+->\s+2\.5", run.Stdout);
        Assert.Contains("openai/gpt-99-preview: input 0.15, output 0.6", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("deepseek/deepseek-chat", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed. Run again with --apply to apply this plan.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_ReferenceSnapshot_FlagsTheKnownLiteLlmErrors()
    {
        var path = ReferenceSnapshot();
        Assert.SkipWhen(path is null, "The LiteLLM price map snapshot (../shared/reference/litellm_model_prices.json) is not present.");

        var run = await CliRun.RunAsync(["prices", "import", path!, "--offline", "--effective-from", "2026-06-01", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var plan = JsonDocument.Parse(run.Stdout);
        var changed = plan.RootElement.GetProperty("changed").EnumerateArray().ToDictionary(m => m.GetProperty("model").GetString()!);
        Assert.Contains(changed["gpt-4o-transcribe"].GetProperty("changes").EnumerateArray(),
            c => c.GetProperty("field").GetString() == "inputAudio" && c.GetProperty("before").GetDecimal() == 6m && c.GetProperty("after").GetDecimal() == 2.5m);
        Assert.Contains(changed["deepseek-chat"].GetProperty("changes").EnumerateArray(),
            c => c.GetProperty("field").GetString() == "input" && c.GetProperty("after").GetDecimal() == 0.28m);
    }

    [Fact]
    public async Task Offline_WithApply_IsRefused()
    {
        var run = await CliRun.RunAsync(["prices", "import", s_smallMap, "--offline", "--apply"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cannot be combined with --offline", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MissingFile_ExitsTwoNamingIt()
    {
        var run = await CliRun.RunAsync(["prices", "import", "no-such-map.json", "--offline"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Cannot read the price map 'no-such-map.json': no such file.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_NoFile_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["prices", "import", "--offline"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Required argument missing for command: 'import'.", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'helix prices import --help' for its options.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_NotAPriceMap_ExitsTwo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"helix-cli-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "[1, 2, 3]", TestContext.Current.CancellationToken);
        try
        {
            var run = await CliRun.RunAsync(["prices", "import", path, "--offline"]);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("is not a LiteLLM price map", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Import_AgainstTheAdminApi_PostsTheFileAndPrintsThePlan()
    {
        await using var api = await FakeAdminApi.StartAsync(GatewayPlanJson());

        var run = await CliRun.RunAsync(["prices", "import", s_smallMap, "--url", api.Url, "--admin-key", "K"]);

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/admin/api/prices/import", request.Path);
        Assert.Equal("litellm", request.QueryValues["format"]);
        Assert.Equal("false", request.QueryValues["apply"]);
        Assert.False(request.QueryValues.ContainsKey("effectiveFrom"));
        Assert.Equal("Bearer K", request.Authorization);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal(await File.ReadAllBytesAsync(s_smallMap, TestContext.Current.CancellationToken), request.Body);
        Assert.Matches(@"inputAudio\s+6\s+->\s+2\.5", run.Stdout);
        Assert.Contains("1 added, 1 changed, 1 unchanged, 1 retired", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_Apply_AsksTheGatewayToApply()
    {
        await using var api = await FakeAdminApi.StartAsync(AppliedPlanBody());

        var run = await CliRun.RunAsync(
            ["prices", "import", s_smallMap, "--apply", "--effective-from", "2026-12-01T00:00:00Z", "--url", api.Url, "--admin-key", "K"]);

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("true", request.QueryValues["apply"]);
        Assert.Equal("2026-12-01T00:00:00.0000000+00:00", request.QueryValues["effectiveFrom"]);
        Assert.Contains("Applied: 2 models have new override prices.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_UrlAndKeyFromTheEnvironment_AreUsed()
    {
        await using var api = await FakeAdminApi.StartAsync(GatewayPlanJson());

        var run = await CliRun.RunAsync(
            ["prices", "import", s_smallMap, "--json"],
            environment: new Dictionary<string, string> { ["HELIX_URL"] = api.Url + "/", ["HELIX_ADMIN_KEY"] = "from-env" });

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("/admin/api/prices/import", request.Path);
        Assert.Equal("Bearer from-env", request.Authorization);
        using var printed = JsonDocument.Parse(run.Stdout);
        Assert.Equal(JsonValueKind.Array, printed.RootElement.GetProperty("changed").ValueKind);
    }

    [Fact]
    public async Task Import_GatewayProblem_PrintsTitleAndDetailAndExitsTwo()
    {
        await using var api = await FakeAdminApi.StartAsync(
            """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"Send Authorization: Bearer <admin key>."}""",
            status: 401);

        var run = await CliRun.RunAsync(["prices", "import", s_smallMap, "--url", api.Url, "--admin-key", "wrong"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: The gateway answered 401 Unauthorized: Unauthorized: Send Authorization: Bearer <admin key>.", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task Import_GatewayUnreachable_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["prices", "import", s_smallMap, "--url", "http://127.0.0.1:1"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Cannot reach the gateway at http://127.0.0.1:1", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_BadUrl_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["prices", "import", s_smallMap, "--url", "ftp://example"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--url needs an absolute http(s) URL", run.Stderr, StringComparison.Ordinal);
    }

    // The plan itself serialized with the web defaults: the text output reads any shape with these arrays.
    private static string GatewayPlanJson() => JsonSerializer.Serialize(SmallPlan(), s_web);

    // The admin API's body after an apply: the plan's models with "applied": true.
    private static string AppliedPlanBody() =>
        PlanJson.Write(SmallPlan()).Replace("\"applied\": false", "\"applied\": true", StringComparison.Ordinal);

    private static PriceImportPlan SmallPlan()
    {
        var imported = LiteLlmPriceMap.Parse(File.ReadAllText(s_smallMap), new DateOnly(2026, 11, 24));
        return PriceImportPlanner.Plan(BuiltInPriceBook.Create(), imported, CliRun.Now);
    }

    private static string? ReferenceSnapshot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Helix.slnx")))
            {
                var path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "reference", "litellm_model_prices.json"));
                return File.Exists(path) ? path : null;
            }
        }

        return null;
    }
}
