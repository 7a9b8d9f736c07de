using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix keys create|list|revoke</c>: API keys through the admin API (an admin key is needed).</summary>
internal static class KeysCommand
{
    public const string Name = "keys";

    private static readonly OptionSpec s_name = new("name", "NAME", "A name people read (create).");
    private static readonly OptionSpec s_role = new("role", "ROLE", "app, agent, viewer, operator or admin (create).");
    private static readonly OptionSpec s_operations = new("operations", "A,B", "Limit an app or agent key to these operations, comma-separated (create).");
    private static readonly OptionSpec s_rpm = new("requests-per-minute", "N", "An app or agent key's own rate limit (create).");
    private static readonly OptionSpec s_json = new("json", null, "Print the gateway's answer as JSON.");

    public static IReadOnlyList<OptionSpec> Options { get; } =
        [s_name, s_role, s_operations, s_rpm, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    public static string Help => CommandHelp.Format(
        "helix keys create --name NAME --role ROLE [--operations A,B] [--requests-per-minute N] | helix keys list | helix keys revoke ID  [--url URL] [--admin-key KEY] [--json]",
        """
        Manages API keys (POST, GET and DELETE /admin/api/keys). 'create' prints the new key once: it is stored
        hashed and cannot be shown again. 'list' never shows keys, only their ids, names, roles and last use.
        'revoke' refuses the key from its next request. Once an app or agent key exists, every /v1 call needs one.
        """,
        Options,
        """
        helix keys create --name checkout --role app --operations chat,email-drafting --requests-per-minute 600
        helix keys list --json
        helix keys revoke key_0123456789abcdef
        """);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, Options, ["create|list|revoke", "ID"]);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(Help);
            return ExitCodes.Success;
        }

        if (parsed.Positionals.Count == 0)
        {
            throw new UsageException("Name a keys command: create, list or revoke.");
        }

        var json = parsed.Has(s_json.Name);
        switch (parsed.Positionals[0])
        {
            case "create" when parsed.Positionals.Count == 1:
                return await CreateAsync(parsed, context, json, cancellationToken);
            case "list" when parsed.Positionals.Count == 1:
                return await ListAsync(parsed, context, json, cancellationToken);
            case "revoke" when parsed.Positionals.Count == 2:
                return await RevokeAsync(parsed, parsed.Positionals[1], context, json, cancellationToken);
            case "revoke":
                throw new UsageException("'keys revoke' needs the key's id: helix keys revoke ID.");
            default:
                throw new UsageException($"Unknown keys command '{string.Join(' ', parsed.Positionals)}'; use create, list or revoke.");
        }
    }

    private static async Task<int> CreateAsync(ParsedArguments parsed, CliContext context, bool json, CancellationToken cancellationToken)
    {
        var name = parsed.Value(s_name.Name);
        var role = parsed.Value(s_role.Name);
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(role))
        {
            throw new UsageException("'keys create' needs --name and --role.");
        }

        var body = new JsonObject { ["name"] = name, ["role"] = role };
        if (parsed.Value(s_operations.Name) is { } operations)
        {
            body["operations"] = new JsonArray([.. operations.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(o => JsonValue.Create(o))]);
        }

        if (parsed.Value(s_rpm.Name) is { } rpmText)
        {
            if (!int.TryParse(rpmText, NumberStyles.None, CultureInfo.InvariantCulture, out var rpm) || rpm < 1)
            {
                throw new UsageException($"--requests-per-minute needs a whole number of at least 1, not '{rpmText}'.");
            }

            body["requestsPerMinute"] = rpm;
        }

        var client = AdminApiClient.From(parsed, context);
        using var answer = await client.SendAsync(HttpMethod.Post, "keys", JsonSerializer.SerializeToUtf8Bytes(body), "application/json", cancellationToken);
        var root = answer.RootElement;
        if (json)
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(root, JsonOutput.Indented));
            return ExitCodes.Success;
        }

        await context.Stdout.WriteLineAsync($"Created {Text(root, "role")} key {Text(root, "id")} ({Text(root, "name")}).");
        await context.Stdout.WriteLineAsync($"Key (shown this once; store it now): {Text(root, "key")}");
        return ExitCodes.Success;
    }

    private static async Task<int> ListAsync(ParsedArguments parsed, CliContext context, bool json, CancellationToken cancellationToken)
    {
        var client = AdminApiClient.From(parsed, context);
        using var answer = await client.SendAsync(HttpMethod.Get, "keys", null, null, cancellationToken);
        var root = answer.RootElement;
        if (json)
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(root, JsonOutput.Indented));
            return ExitCodes.Success;
        }

        var table = new TextTable("ID", "NAME", "ROLE", "OPERATIONS", ">RPM", "LAST USED", "REVOKED");
        foreach (var key in root.GetProperty("items").EnumerateArray())
        {
            var operations = key.TryGetProperty("operations", out var ops) && ops.ValueKind == JsonValueKind.Array
                ? string.Join(',', ops.EnumerateArray().Select(o => o.GetString()))
                : "all";
            table.Add(Text(key, "id"), Text(key, "name"), Text(key, "role"), operations, Text(key, "requestsPerMinute", "default"),
                Text(key, "lastUsedAt", "never"), Text(key, "revokedAt", "-"));
        }

        if (table.Count == 0)
        {
            await context.Stdout.WriteLineAsync("No keys yet; the admin API takes Helix:AdminKey and the data plane is open until an app or agent key exists.");
            return ExitCodes.Success;
        }

        table.WriteTo(context.Stdout);
        return ExitCodes.Success;
    }

    private static async Task<int> RevokeAsync(ParsedArguments parsed, string id, CliContext context, bool json, CancellationToken cancellationToken)
    {
        var client = AdminApiClient.From(parsed, context);
        using var answer = await client.SendAsync(HttpMethod.Delete, "keys/" + Uri.EscapeDataString(id), null, null, cancellationToken);
        var root = answer.RootElement;
        if (json)
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(root, JsonOutput.Indented));
            return ExitCodes.Success;
        }

        await context.Stdout.WriteLineAsync($"Revoked key {Text(root, "id")} ({Text(root, "name")}) at {Text(root, "revokedAt")}.");
        return ExitCodes.Success;
    }

    private static string Text(JsonElement element, string name, string missing = "") =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => missing,
        } : missing;
}
