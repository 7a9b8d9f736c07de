using System.Text.Json;
using Xunit;

namespace Helix.Cli.Tests;

public sealed class TogglesCommandTests
{
    private const string List = """
        {"items":[
          {"name":"agents-cannot-approve","enabled":true,"locked":true,"scope":"global","description":"Agents never approve.","owner":"helix (built in)"},
          {"name":"kill:model:openai/gpt-4o","enabled":true,"locked":false,"scope":"model","subject":"openai/gpt-4o","owner":"platform"}
        ]}
        """;

    [Fact]
    public async Task List_PrintsATableOfEveryToggle()
    {
        await using var api = await FakeAdminApi.StartAsync(List);

        var run = await CliRun.RunAsync(["toggles", "list", "--url", api.Url, "--admin-key", "K"]);

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal(("GET", "/admin/api/toggles", "Bearer K"), (request.Method, request.Path, request.Authorization));
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^agents-cannot-approve\s+on\s+locked\s+global\s+helix \(built in\)\s+Agents never approve\.", lines[1]);
        Assert.Matches(@"^kill:model:openai/gpt-4o\s+on\s+model openai/gpt-4o\s+platform", lines[2]);
    }

    [Fact]
    public async Task List_Json_PrintsTheAnswer()
    {
        await using var api = await FakeAdminApi.StartAsync(List);

        var run = await CliRun.RunAsync(["toggles", "list", "--json"], environment: new Dictionary<string, string> { ["HELIX_URL"] = api.Url });

        Assert.Equal(0, run.ExitCode);
        using var printed = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2, printed.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Set_PutsTheToggleWithItsNameEscaped()
    {
        await using var api = await FakeAdminApi.StartAsync("""{"name":"kill:model:openai/gpt-4o","enabled":false,"locked":false,"scope":"model"}""");

        var run = await CliRun.RunAsync(["toggles", "set", "kill:model:openai/gpt-4o", "--enabled", "false", "--owner", "platform", "--url", api.Url]);

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("kill:model:openai/gpt-4o", Uri.UnescapeDataString(request.Path["/admin/api/toggles/".Length..]));
        using var body = JsonDocument.Parse(request.Body);
        Assert.False(body.RootElement.GetProperty("enabled").GetBoolean());
        Assert.Equal("platform", body.RootElement.GetProperty("owner").GetString());
        Assert.False(body.RootElement.TryGetProperty("description", out _));
        Assert.Equal("kill:model:openai/gpt-4o is off.", run.Stdout.Trim());
    }

    [Fact]
    public async Task Set_LockedToggle_ShowsTheGatewaysRefusalAndExitsTwo()
    {
        await using var api = await FakeAdminApi.StartAsync(
            """{"title":"toggle_locked","detail":"'agents-cannot-approve' is a locked safety toggle (enabled).","status":409,"code":"toggle_locked"}""", status: 409);

        var run = await CliRun.RunAsync(["toggles", "set", "agents-cannot-approve", "--enabled", "false", "--url", api.Url]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("409", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("toggle_locked", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set", "x", "--enabled", "yes")]
    [InlineData("set", "--enabled", "true")]
    [InlineData("flip")]
    public async Task BadArguments_ExitTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(["toggles", .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error:", run.Stderr, StringComparison.Ordinal);
    }
}
