using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Helix.Cli.Tests.Admin;

/// <summary><c>helix routes|budgets|audit</c> against the real gateway in-process: tables for people, <c>--json</c> for scripts.</summary>
public sealed class AdminCommandsTests : IDisposable
{
    private readonly InProcessGateway _gateway = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _gateway.Dispose();

    private Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(args, _gateway.CreateClient(), InProcessGateway.Environment);

    [Fact]
    public async Task RoutesList_PrintsEveryOperationsRoute_AsATableAndAsJson()
    {
        var table = await RunAsync("routes", "list");
        var json = await RunAsync("routes", "list", "--json");

        Assert.Equal(0, table.ExitCode);
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("OPERATION", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("chat ", StringComparison.Ordinal) && l.Contains("deepseek/deepseek-v4-flash", StringComparison.Ordinal) && l.Contains("gemini/gemini-2.5-flash", StringComparison.Ordinal));
        Assert.Equal(0, json.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Contains(document.RootElement.GetProperty("items").EnumerateArray(), r => r.GetProperty("operation").GetString() == "chat");
    }

    [Fact]
    public async Task RoutesSet_ChangesTheRoute_ShowListsItsVersions_AndTheChangeIsInTheAudit()
    {
        var set = await RunAsync("routes", "set", "chat", "--primary", "openai/gpt-4.1-mini", "--fallback", "gemini/gemini-2.5-flash,deepseek/deepseek-v4-flash", "--max-output-tokens", "512");
        var show = await RunAsync("routes", "show", "chat");
        var audit = await RunAsync("audit", "list", "--target", "chat", "--json");
        using var call = await _gateway.CreateClient().PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Hello" } },
        }, Ct);

        Assert.Equal(0, set.ExitCode);
        Assert.Contains("Route of chat is now version 2: openai/gpt-4.1-mini, falling back to gemini/gemini-2.5-flash, deepseek/deepseek-v4-flash.", set.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("max output tokens  512", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("bootstrap-admin", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("seed", show.Stdout, StringComparison.Ordinal);
        using var entries = JsonDocument.Parse(audit.Stdout);
        var entry = Assert.Single(entries.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("route.update", entry.GetProperty("action").GetString());
        Assert.Equal("deepseek/deepseek-v4-flash", entry.GetProperty("before").GetProperty("primaryModel").GetString());
        Assert.Equal("openai/gpt-4.1-mini", entry.GetProperty("after").GetProperty("primaryModel").GetString());
        Assert.Equal("openai/gpt-4.1-mini", call.Headers.GetValues("X-Helix-Model").Single());
    }

    [Fact]
    public async Task RoutesSet_Refused_ExitsTwoWithTheGatewaysProblem()
    {
        var unknownModel = await RunAsync("routes", "set", "chat", "--primary", "nobody/no-model");
        var nothing = await RunAsync("routes", "set", "chat");

        Assert.Equal(2, unknownModel.ExitCode);
        Assert.Contains("The gateway answered 4", unknownModel.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, nothing.ExitCode);
        Assert.Contains("Nothing to change", nothing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BudgetsSetListDelete_RoundTripThroughTheGateway()
    {
        var set = await RunAsync("budgets", "set", "--scope", "user", "--subject", "alice", "--period", "month", "--limit", "25.00", "--soft", "--json");
        using var created = JsonDocument.Parse(set.Stdout);
        var id = created.RootElement.GetProperty("id").GetString()!;
        var list = await RunAsync("budgets", "list");
        var delete = await RunAsync("budgets", "delete", id);
        var after = await RunAsync("budgets", "list", "--json");
        var audit = await RunAsync("audit", "list", "--action", "budget.delete");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal("25", created.RootElement.GetProperty("limitUsd").GetString());
        Assert.False(created.RootElement.GetProperty("hard").GetBoolean());
        Assert.Contains(list.Stdout.Split('\n'), l => l.Contains("alice", StringComparison.Ordinal) && l.Contains("month", StringComparison.Ordinal) && l.TrimEnd().EndsWith("no", StringComparison.Ordinal));
        Assert.Equal(0, delete.ExitCode);
        Assert.Contains($"Deleted budget {id}.", delete.Stdout, StringComparison.Ordinal);
        using var remaining = JsonDocument.Parse(after.Stdout);
        Assert.DoesNotContain(remaining.RootElement.GetProperty("items").EnumerateArray(), b => b.GetProperty("id").GetString() == id);
        Assert.Contains("budget.delete", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("bootstrap admin (Helix:AdminKey)", audit.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_Intact_ExitsZero_ThenNamesTheEditedEntryAndExitsOne()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, (await RunAsync("budgets", "set", "--scope", "operation", "--subject", $"op{i}", "--period", "day", "--limit", "1")).ExitCode);
        }

        var intact = await RunAsync("audit", "verify");
        _gateway.EditDatabase("DROP TRIGGER change_history_no_update; UPDATE change_history SET after_json = '{}' WHERE id = 2;");
        var broken = await RunAsync("audit", "verify");
        var json = await RunAsync("audit", "verify", "--json");

        Assert.Equal(0, intact.ExitCode);
        Assert.Contains("Change history: intact (3 entries checked).", intact.Stdout, StringComparison.Ordinal);
        Assert.Contains("Operation log: intact", intact.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("Change history: BROKEN at entry 2: its content does not match its hash", broken.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(2, document.RootElement.GetProperty("changeHistory").GetProperty("firstBrokenId").GetInt64());
        Assert.True(document.RootElement.GetProperty("operationLog").GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task AuditVerify_EditedOperationLogRow_ExitsOneNamingTheRow()
    {
        var http = _gateway.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var call = await http.PostAsJsonAsync("/v1/chat/completions", new
            {
                model = "op:chat",
                messages = new[] { new { role = "user", content = "Hello" } },
            }, Ct);
            call.EnsureSuccessStatusCode();
        }

        _gateway.EditDatabase("DROP TRIGGER operation_log_no_update; UPDATE operation_log SET end_user = 'someone-else' WHERE id = 1;");
        var broken = await RunAsync("audit", "verify");

        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("Operation log: BROKEN at row 1: its content does not match its hash", broken.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditList_PagesWithTheCursorItPrints()
    {
        for (var i = 0; i < 3; i++)
        {
            await RunAsync("budgets", "set", "--scope", "user", "--subject", $"u{i}", "--period", "day", "--limit", "1");
        }

        var first = await RunAsync("audit", "list", "--limit", "2");
        var cursor = first.Stdout.Split('\n').Single(l => l.StartsWith("More: ", StringComparison.Ordinal)).Split("--cursor ")[1].Trim();
        var second = await RunAsync("audit", "list", "--limit", "2", "--cursor", cursor);

        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("ID", first.Stdout.TrimStart(), StringComparison.Ordinal);
        Assert.Equal(2, first.Stdout.Split('\n').Count(l => l.Contains("budget.put", StringComparison.Ordinal)));
        Assert.Equal(1, second.Stdout.Split('\n').Count(l => l.Contains("budget.put", StringComparison.Ordinal)));
        Assert.DoesNotContain("More:", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheAdminKey_TheGatewaysRefusalIsPrinted_ExitTwo()
    {
        var run = await CliRun.RunAsync(["routes", "list"], _gateway.CreateClient(), new Dictionary<string, string> { ["HELIX_URL"] = "http://localhost" });

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("401", run.Stderr, StringComparison.Ordinal);
    }
}
