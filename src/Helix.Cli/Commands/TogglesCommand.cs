using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix toggles list|set</c>: the gateway's toggles and kill switches, through the admin API.</summary>
internal static class TogglesCommand
{
    public const string Name = "toggles";

    private static readonly OptionSpec s_json = new("json", null, "Print the gateway's answer as JSON.");
    private static readonly OptionSpec s_enabled = new("enabled", "true|false", "Switch the toggle on (true) or off (false).", Required: true);
    private static readonly OptionSpec s_description = new("description", "TEXT", "What the toggle does (kept when left out).");
    private static readonly OptionSpec s_owner = new("owner", "TEXT", "Who answers for the toggle (kept when left out).");

    public static IReadOnlyList<OptionSpec> ListOptions { get; } = [AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    public static IReadOnlyList<OptionSpec> SetOptions { get; } =
        [s_enabled, s_description, s_owner, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    public static string Help => CommandHelp.Format(
        "helix toggles list [--url URL] [--admin-key KEY] [--json]\n       helix toggles set NAME --enabled true|false [--description TEXT] [--owner TEXT] [--url URL] [--admin-key KEY] [--json]",
        """
        Lists the toggles (GET /admin/api/toggles) or switches one on or off (PUT /admin/api/toggles/NAME), creating
        it when absent. Kill switches: kill:global, kill:operation:<operation>, kill:provider:<provider>,
        kill:model:<provider/model>; each kills what it names while enabled, from the next call. Locked safety
        toggles are listed but cannot be changed (the gateway answers 409 toggle_locked).
        """,
        SetOptions,
        """
        helix toggles list
        helix toggles set kill:model:deepseek/deepseek-v4-flash --enabled true --owner platform-team
        helix toggles set kill:operation:chat --enabled false --json
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
            "list" => await ListAsync([.. args.Skip(1)], context, cancellationToken),
            "set" => await SetAsync([.. args.Skip(1)], context, cancellationToken),
            var other => throw new UsageException($"Unknown command 'toggles {other}'; the toggles commands are 'list' and 'set'."),
        };
    }

    private static async Task<int> ListAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, ListOptions);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(Help);
            return ExitCodes.Success;
        }

        using var answer = await AdminApiClient.From(parsed, context).SendAsync(HttpMethod.Get, "toggles", null, null, cancellationToken);
        if (parsed.Has(s_json.Name))
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(answer.RootElement, JsonOutput.Indented));
            return ExitCodes.Success;
        }

        var table = new TextTable("NAME", "STATE", "LOCKED", "SCOPE", "OWNER", "DESCRIPTION");
        if (answer.RootElement.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                table.Add(
                    Text(item, "name"),
                    Flag(item, "enabled") ? "on" : "off",
                    Flag(item, "locked") ? "locked" : "",
                    Text(item, "scope") + (Text(item, "subject") is { Length: > 0 } subject ? $" {subject}" : ""),
                    Text(item, "owner"),
                    Text(item, "description"));
            }
        }

        table.WriteTo(context.Stdout);
        return ExitCodes.Success;
    }

    private static async Task<int> SetAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, SetOptions, ["NAME"], requiredPositionals: 1);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(Help);
            return ExitCodes.Success;
        }

        var enabled = parsed.Value(s_enabled.Name) switch
        {
            "true" => true,
            "false" => false,
            var other => throw new UsageException($"--enabled is true or false, not '{other}'."),
        };
        var name = parsed.Positionals[0];
        var body = new Dictionary<string, object?> { ["enabled"] = enabled };
        if (parsed.Value(s_description.Name) is { } description)
        {
            body["description"] = description;
        }

        if (parsed.Value(s_owner.Name) is { } owner)
        {
            body["owner"] = owner;
        }

        // A kill switch's name holds ':' and '/': each segment is escaped, the gateway reads the name back whole.
        var path = "toggles/" + Uri.EscapeDataString(name);
        using var answer = await AdminApiClient.From(parsed, context)
            .SendAsync(HttpMethod.Put, path, JsonSerializer.SerializeToUtf8Bytes(body), "application/json", cancellationToken);
        if (parsed.Has(s_json.Name))
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(answer.RootElement, JsonOutput.Indented));
            return ExitCodes.Success;
        }

        await context.Stdout.WriteLineAsync($"{Text(answer.RootElement, "name")} is {(Flag(answer.RootElement, "enabled") ? "on" : "off")}.");
        return ExitCodes.Success;
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
