using System.Globalization;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix audit list|verify</c>: the change history, and the checks of its chain and of the operation log's.</summary>
internal static class AuditCommand
{
    public const string Name = "audit";

    private static readonly OptionSpec s_limit = new("limit", "N", "At most N entries (1 to 1000; default 50).");
    private static readonly OptionSpec s_cursor = new("cursor", "C", "Continue from a previous page's cursor.");
    private static readonly OptionSpec s_target = new("target", "T", "Only changes of this target (an operation, a budget id, a notifier…).");
    private static readonly OptionSpec s_action = new("action", "A", "Only this action (route.update, budget.put…).");
    private static readonly OptionSpec s_actor = new("actor", "WHO", "Only changes by this actor (id or name).");
    private static readonly OptionSpec s_json = new("json", null, "Print the gateway's answer as JSON.");

    private static readonly IReadOnlyList<OptionSpec> s_listOptions =
        [s_limit, s_cursor, s_target, s_action, s_actor, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    private static readonly IReadOnlyList<OptionSpec> s_verifyOptions = [AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    public static string Help => """
        Usage: helix audit list [options]
               helix audit verify [options]

          list     The change history, newest first: who changed what, when (GET /admin/api/audit).
          verify   Check the hash chains of the change history and of the operation log; exits 1 and names the
                   first broken entry or row when either was edited, inserted into or cut behind the store's back.

        Run 'helix audit list --help' or 'helix audit verify --help' for their options.

        """;

    public static string ListHelp => CommandHelp.Format(
        "helix audit list [--limit N] [--cursor C] [--target T] [--action A] [--actor WHO] [--url URL] [--admin-key KEY] [--json]",
        """
        Lists admin changes, newest first, with who made them; --json prints each entry's before and after and
        the chain's hashes. When more entries exist, the last line gives the --cursor of the next page.
        """,
        s_listOptions,
        """
        helix audit list --limit 20
        helix audit list --target chat --action route.update --json
        """);

    public static string VerifyHelp => CommandHelp.Format(
        "helix audit verify [--url URL] [--admin-key KEY] [--json]",
        """
        Checks, from the first entry, that every change-history entry and every operation-log row still holds the
        hash it was written with and links to the one before it (GET /admin/api/audit/verify and
        /admin/api/logs/verify). Exit code 0: both intact; 1: one is broken (the entry or row is named).
        """,
        s_verifyOptions,
        """
        helix audit verify
        helix audit verify --json
        """);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            await (args.Count == 0 ? context.Stderr : context.Stdout).WriteAsync(Help);
            return args.Count == 0 ? ExitCodes.UsageError : ExitCodes.Success;
        }

        return args[0] switch
        {
            "list" => await ListAsync(args.Skip(1).ToArray(), context, cancellationToken),
            "verify" => await VerifyAsync(args.Skip(1).ToArray(), context, cancellationToken),
            var other => throw new UsageException($"Unknown command 'audit {other}'; the audit commands are 'list' and 'verify'."),
        };
    }

    private static async Task<int> ListAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, s_listOptions);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(ListHelp);
            return ExitCodes.Success;
        }

        var query = new List<string>();
        foreach (var option in new[] { s_limit, s_cursor, s_target, s_action, s_actor })
        {
            if (parsed.Value(option.Name) is { } value)
            {
                query.Add($"{option.Name}={Uri.EscapeDataString(value)}");
            }
        }

        var client = AdminApiClient.From(parsed, context);
        using var answer = await client.GetAsync("audit" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), cancellationToken);
        var root = answer.RootElement;
        if (parsed.Has(s_json.Name))
        {
            await AdminOutput.WriteJsonAsync(context.Stdout, root);
            return ExitCodes.Success;
        }

        var table = new TextTable(">ID", "AT", "ACTOR", "ACTION", "TARGET");
        foreach (var entry in AdminOutput.Items(root))
        {
            table.Add(AdminOutput.Cell(entry, "id"), AdminOutput.Time(entry, "at"), AdminOutput.Cell(entry, "actorName"), AdminOutput.Cell(entry, "action"), AdminOutput.Cell(entry, "target"));
        }

        if (table.Count == 0)
        {
            await context.Stdout.WriteLineAsync("No changes recorded.");
        }
        else
        {
            table.WriteTo(context.Stdout);
        }

        if (root.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String)
        {
            await context.Stdout.WriteLineAsync($"More: helix audit list --cursor {next.GetString()}");
        }

        return ExitCodes.Success;
    }

    private static async Task<int> VerifyAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, s_verifyOptions);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(VerifyHelp);
            return ExitCodes.Success;
        }

        var client = AdminApiClient.From(parsed, context);
        using var history = await client.GetAsync("audit/verify", cancellationToken);
        using var log = await client.GetAsync("logs/verify", cancellationToken);
        var intact = Intact(history.RootElement) && Intact(log.RootElement);
        if (parsed.Has(s_json.Name))
        {
            using var both = JsonDocument.Parse(JsonSerializer.Serialize(new { changeHistory = history.RootElement, operationLog = log.RootElement }));
            await AdminOutput.WriteJsonAsync(context.Stdout, both.RootElement);
        }
        else
        {
            await context.Stdout.WriteLineAsync(Describe("Change history", "entry", "entries", history.RootElement));
            await context.Stdout.WriteLineAsync(Describe("Operation log", "row", "rows", log.RootElement));
        }

        return intact ? ExitCodes.Success : ExitCodes.ChainBroken;
    }

    private static bool Intact(JsonElement result) =>
        result.TryGetProperty("intact", out var intact) && intact.ValueKind == JsonValueKind.True;

    private static string Describe(string what, string unit, string units, JsonElement result)
    {
        var entries = AdminOutput.Cell(result, "entries");
        if (Intact(result))
        {
            return $"{what}: intact ({entries} {(entries == "1" ? unit : units)} checked).";
        }

        var id = AdminOutput.Cell(result, "firstBrokenId");
        return string.Create(CultureInfo.InvariantCulture, $"{what}: BROKEN at {unit} {id}: {AdminOutput.Cell(result, "reason")}.");
    }
}
