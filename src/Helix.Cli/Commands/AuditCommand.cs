using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix audit list|verify</c>: the change history, and the checks of its chain and of the operation log's.</summary>
internal static class AuditCommand
{
    /// <summary>Creates <c>helix audit</c> and its sub-commands.</summary>
    public static Command Create(CliContext context) => HelixCommand.Group(
        "audit",
        "The change history, and the check of its chain and the operation log's (list, verify).",
        null,
        List(context),
        Verify(context));

    private static HelixCommand List(CliContext context)
    {
        Option<string?>[] filters =
        [
            CliOptions.Text("--limit", "N", "At most N entries (1 to 1000; default 50)."),
            CliOptions.Text("--cursor", "C", "Continue from a previous page's cursor."),
            CliOptions.Text("--target", "T", "Only changes of this target (an operation, a budget id, a notifier…)."),
            CliOptions.Text("--action", "A", "Only this action (route.update, budget.put…)."),
            CliOptions.Text("--actor", "WHO", "Only changes by this actor (id or name)."),
        ];
        return AdminCommand.Create(
            "list",
            "The change history, newest first: who changed what, when.",
            """
            Lists admin changes, newest first, with who made them (GET /admin/api/audit); --json prints each entry's
            before and after and the chain's hashes. When more entries exist, the last line gives the --cursor of the
            next page.
            """,
            """
            helix audit list --limit 20
            helix audit list --target chat --action route.update --json
            """,
            context,
            filters,
            parsed =>
            {
                var query = filters
                    .Where(option => parsed.GetValue(option) is not null)
                    .Select(option => $"{option.Name[2..]}={Uri.EscapeDataString(parsed.GetValue(option)!)}")
                    .ToList();
                return AdminRequest.Get("audit" + (query.Count == 0 ? "" : "?" + string.Join('&', query)));
            },
            (root, _, output) =>
            {
                var table = new TextTable(">ID", "AT", "ACTOR", "ACTION", "TARGET");
                foreach (var entry in AdminOutput.Items(root))
                {
                    table.Add(AdminOutput.Cell(entry, "id"), AdminOutput.Time(entry, "at"), AdminOutput.Cell(entry, "actorName"), AdminOutput.Cell(entry, "action"), AdminOutput.Cell(entry, "target"));
                }

                if (table.Count == 0)
                {
                    output.WriteLine("No changes recorded.");
                }
                else
                {
                    table.WriteTo(output);
                }

                if (root.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String)
                {
                    output.WriteLine($"More: helix audit list --cursor {next.GetString()}");
                }
            });
    }

    private static HelixCommand Verify(CliContext context)
    {
        var json = CliOptions.Json();
        var command = new HelixCommand("verify", "Check the hash chains of the change history and the operation log (exit code 1 when broken).")
        {
            Details = """
                Checks, from the first entry, that every change-history entry and every operation-log row still holds the
                hash it was written with and links to the one before it (GET /admin/api/audit/verify and
                /admin/api/logs/verify). Exit code 0: both intact; 1: one is broken (the entry or row is named).
                """,
            Examples = """
                helix audit verify
                helix audit verify --json
                """,
        };
        command.Options.Add(AdminApiClient.UrlOption());
        command.Options.Add(AdminApiClient.AdminKeyOption());
        command.Options.Add(json);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var client = AdminApiClient.From(parsed, context);
            using var history = await client.GetAsync("audit/verify", cancellationToken);
            using var log = await client.GetAsync("logs/verify", cancellationToken);
            var intact = Intact(history.RootElement) && Intact(log.RootElement);
            if (parsed.GetValue(json))
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
        });
        return command;
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
