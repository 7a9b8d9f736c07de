using System.Text.Json;
using Xunit;

namespace Helix.Cli.Tests;

public sealed class KeysCommandTests
{
    [Fact]
    public async Task Create_PostsTheKeyAndPrintsItOnce()
    {
        await using var api = await FakeAdminApi.StartAsync(
            """{"id":"key_0123456789abcdef","key":"hlx_app_SECRET","name":"checkout","role":"app","operations":["chat"],"requestsPerMinute":600}""", 201);

        var run = await CliRun.RunAsync(
            ["keys", "create", "--name", "checkout", "--role", "app", "--operations", "chat, email-drafting", "--requests-per-minute", "600"],
            environment: new Dictionary<string, string> { ["HELIX_URL"] = api.Url, ["HELIX_ADMIN_KEY"] = "K" });

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/admin/api/keys", "Bearer K"), (request.Method, request.Path, request.Authorization));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("checkout", body.RootElement.GetProperty("name").GetString());
        Assert.Equal("app", body.RootElement.GetProperty("role").GetString());
        Assert.Equal(["chat", "email-drafting"], body.RootElement.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(600, body.RootElement.GetProperty("requestsPerMinute").GetInt32());
        Assert.Contains("Created app key key_0123456789abcdef (checkout).", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("hlx_app_SECRET", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PrintsATable_OrJson()
    {
        await using var api = await FakeAdminApi.StartAsync(
            """{"items":[{"id":"key_1","name":"checkout","role":"app","operations":["chat"],"requestsPerMinute":600,"lastUsedAt":"2026-11-24T11:00:00+00:00","revokedAt":null},{"id":"key_2","name":"ana","role":"operator","lastUsedAt":null,"revokedAt":"2026-11-24T11:30:00+00:00"}]}""");

        var table = await CliRun.RunAsync(["keys", "list", "--url", api.Url]);
        var json = await CliRun.RunAsync(["keys", "list", "--url", api.Url, "--json"]);

        Assert.Equal(0, table.ExitCode);
        Assert.Equal(("GET", "/admin/api/keys"), (api.Requests[0].Method, api.Requests[0].Path));
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Contains("checkout", lines[1], StringComparison.Ordinal);
        Assert.Contains("600", lines[1], StringComparison.Ordinal);
        Assert.Contains("never", lines[2], StringComparison.Ordinal);
        Assert.Contains("2026-11-24T11:30:00+00:00", lines[2], StringComparison.Ordinal);
        using var printed = JsonDocument.Parse(json.Stdout);
        Assert.Equal(2, printed.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Revoke_SendsDeleteForTheId()
    {
        await using var api = await FakeAdminApi.StartAsync("""{"id":"key_1","name":"checkout","revokedAt":"2026-11-24T12:00:00+00:00"}""");

        var run = await CliRun.RunAsync(["keys", "revoke", "key_1", "--url", api.Url]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(("DELETE", "/admin/api/keys/key_1"), (api.Requests[0].Method, api.Requests[0].Path));
        Assert.Contains("Revoked key key_1 (checkout)", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keys create --role app", "Option '--name' is required.", "Run 'helix keys create --help'")]
    [InlineData("keys revoke", "Required argument missing for command: 'revoke'.", "Run 'helix keys revoke --help'")]
    [InlineData("keys rotate", "Unrecognized command or argument 'rotate'.", "Run 'helix keys --help'")]
    [InlineData("keys create --name x --role app --requests-per-minute 0", "--requests-per-minute needs a whole number of at least 1, not '0'.", "Run 'helix keys create --help'")]
    public async Task BadArguments_ExitTwo(string commandLine, string message, string hint)
    {
        var run = await CliRun.RunAsync(commandLine.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: " + message, run.Stderr, StringComparison.Ordinal);
        Assert.Contains(hint, run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task NoSubcommand_PrintsTheKeysHelpToStderr_ExitTwo()
    {
        var run = await CliRun.RunAsync(["keys"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("helix keys [command] [options]", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("revoke <ID>", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task RefusedByTheGateway_PrintsItsProblem()
    {
        await using var api = await FakeAdminApi.StartAsync("""{"status":403,"title":"Forbidden","detail":"The role 'viewer' may not do this."}""", 403);

        var run = await CliRun.RunAsync(["keys", "list", "--url", api.Url]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("403", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("may not do this", run.Stderr, StringComparison.Ordinal);
    }
}
