using System.Text;
using System.Text.Json;
using Xunit;

namespace Helix.Cli.Tests;

public sealed class ApprovalsCommandTests
{
    private const string Item = """
        {"id":"apr_1","status":"pending","operation":"payments","principalId":"anonymous","principalName":"anonymous","model":"openai/gpt-4o",
         "policy":"always","why":"policy 'always'","estimatedCostUsd":"0.0123","requestHash":"ab","createdAt":"2026-11-24T11:00:00+00:00",
         "expiresAt":"2026-11-24T12:00:00+00:00","decidedAt":null,"decidedBy":null,"decidedByName":null,"reason":null,"consumedAt":null}
        """;

    [Fact]
    public async Task List_Pending_GetsWithTheFilterAndPrintsATable()
    {
        await using var api = await FakeAdminApi.StartAsync($$"""{"items":[{{Item}}]}""");

        var run = await CliRun.RunAsync(["approvals", "list", "--status", "pending", "--url", api.Url, "--admin-key", "K"]);

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal(("GET", "/admin/api/approvals", "pending", "Bearer K"), (request.Method, request.Path, request.QueryValues["status"], request.Authorization));
        Assert.Contains("WORST CASE USD", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("apr_1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("0.0123", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_PrintsTheAnswer()
    {
        await using var api = await FakeAdminApi.StartAsync($$"""{"items":[{{Item}}]}""");

        var run = await CliRun.RunAsync(["approvals", "list", "--url", api.Url, "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var printed = JsonDocument.Parse(run.Stdout);
        Assert.Equal("apr_1", printed.RootElement.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Show_GetsTheRequestAndPrintsItsFields()
    {
        await using var api = await FakeAdminApi.StartAsync(Item);

        var run = await CliRun.RunAsync(["approvals", "show", "apr_1", "--url", api.Url]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("/admin/api/approvals/apr_1", Assert.Single(api.Requests).Path);
        Assert.Contains("payments", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("policy 'always'", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_PostsToTheApproveEndpoint()
    {
        await using var api = await FakeAdminApi.StartAsync(Item.Replace("\"pending\"", "\"approved\"", StringComparison.Ordinal));

        var run = await CliRun.RunAsync(["approvals", "approve", "apr_1", "--url", api.Url, "--json"]);

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal(("POST", "/admin/api/approvals/apr_1/approve"), (request.Method, request.Path));
        Assert.Equal("approved", JsonDocument.Parse(run.Stdout).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reject_SendsTheReason()
    {
        await using var api = await FakeAdminApi.StartAsync(Item.Replace("\"pending\"", "\"rejected\"", StringComparison.Ordinal));

        var run = await CliRun.RunAsync(["approvals", "reject", "apr_1", "--reason", "paid already", "--url", api.Url]);

        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(api.Requests);
        Assert.Equal("/admin/api/approvals/apr_1/reject", request.Path);
        Assert.Equal("paid already", JsonDocument.Parse(Encoding.UTF8.GetString(request.Body)).RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Reject_WithoutReason_ExitsTwoWithoutCallingTheGateway()
    {
        await using var api = await FakeAdminApi.StartAsync(Item);

        var run = await CliRun.RunAsync(["approvals", "reject", "apr_1", "--url", api.Url]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--reason", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Approve_GatewayRefuses_ExitsTwoWithItsProblem()
    {
        await using var api = await FakeAdminApi.StartAsync("""{"title":"forbidden","detail":"An agent never decides an approval.","status":403}""", status: 403);

        var run = await CliRun.RunAsync(["approvals", "approve", "apr_1", "--url", api.Url]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("An agent never decides an approval.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_BadStatus_ExitsTwo()
    {
        var run = await CliRun.RunAsync(["approvals", "list", "--status", "maybe"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--status", run.Stderr, StringComparison.Ordinal);
    }
}
