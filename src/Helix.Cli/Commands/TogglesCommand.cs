using System.CommandLine;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix toggles list|set</c>: the gateway's toggles and kill switches, through the admin API.</summary>
internal static class TogglesCommand
{
    /// <summary>Creates <c>helix toggles</c> and its sub-commands.</summary>
    public static Command Create(CliContext context) => HelixCommand.Group(
        "toggles",
        "List the toggles and kill switches, or switch one on or off (list, set).",
        """
        Lists the toggles and kill switches, or switches one on or off (list, set). Kill switches: kill:global,
        kill:operation:<operation>, kill:provider:<provider>, kill:model:<provider/model>; each kills what it names
        while enabled, from the next call.
        """,
        List(context),
        Set(context));

    private static HelixCommand List(CliContext context) => AdminCommand.Create(
        "list",
        "List the toggles and kill switches, on or off, locked or not (GET /admin/api/toggles).",
        null,
        """
        helix toggles list
        """,
        context,
        [],
        _ => AdminRequest.Get("toggles"),
        (answer, _, output) =>
        {
            var table = new TextTable("NAME", "STATE", "LOCKED", "SCOPE", "OWNER", "DESCRIPTION");
            foreach (var item in AdminOutput.Items(answer))
            {
                table.Add(
                    Text(item, "name"),
                    Flag(item, "enabled") ? "on" : "off",
                    Flag(item, "locked") ? "locked" : "",
                    Text(item, "scope") + (Text(item, "subject") is { Length: > 0 } subject ? $" {subject}" : ""),
                    Text(item, "owner"),
                    Text(item, "description"));
            }

            table.WriteTo(output);
        });

    private static HelixCommand Set(CliContext context)
    {
        var name = CliOptions.Argument<string>("NAME", "The toggle (kill:model:openai/gpt-4o…); created when absent.");
        var enabled = CliOptions.Text("--enabled", "true|false", "Switch the toggle on (true) or off (false).", required: true);
        var description = CliOptions.Text("--description", "TEXT", "What the toggle does (kept when left out).");
        var owner = CliOptions.Text("--owner", "TEXT", "Who answers for the toggle (kept when left out).");
        return AdminCommand.Create(
            "set",
            "Switch a toggle or kill switch on or off (created when absent).",
            """
            Switches a toggle on or off (PUT /admin/api/toggles/NAME), creating it when absent. Locked safety toggles
            cannot be changed (the gateway answers 409 toggle_locked).
            """,
            """
            helix toggles set kill:model:deepseek/deepseek-v4-flash --enabled true --owner platform-team
            helix toggles set kill:operation:chat --enabled false --json
            """,
            context,
            [name, enabled, description, owner],
            parsed =>
            {
                var body = new Dictionary<string, object?>
                {
                    ["enabled"] = parsed.GetValue(enabled) switch
                    {
                        "true" => true,
                        "false" => false,
                        var other => throw new UsageException($"--enabled is true or false, not '{other}'."),
                    },
                };
                if (parsed.GetValue(description) is { } text)
                {
                    body["description"] = text;
                }

                if (parsed.GetValue(owner) is { } who)
                {
                    body["owner"] = who;
                }

                // A kill switch's name holds ':' and '/': it is escaped whole, the gateway reads it back whole.
                return new AdminRequest(HttpMethod.Put, "toggles/" + Uri.EscapeDataString(parsed.GetValue(name)!), body);
            },
            (answer, _, output) => output.WriteLine($"{Text(answer, "name")} is {(Flag(answer, "enabled") ? "on" : "off")}."));
    }

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static bool Flag(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
