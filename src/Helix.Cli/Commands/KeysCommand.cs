using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix keys create|list|edit|revoke</c>: API keys through the admin API (an admin key is needed).</summary>
internal static class KeysCommand
{
    /// <summary>Creates <c>helix keys</c> and its sub-commands.</summary>
    public static Command Create(CliContext context) => HelixCommand.Group(
        "keys",
        "Create, list, edit or revoke API keys (create, list, edit, revoke).",
        """
        Create, list, edit or revoke API keys (POST, GET, PATCH and DELETE /admin/api/keys). Once an app or agent key
        exists, every /v1 call needs one.
        """,
        CreateKey(context),
        List(context),
        Edit(context),
        Revoke(context));

    private static HelixCommand CreateKey(CliContext context)
    {
        var name = CliOptions.Text("--name", "NAME", "A name people read.", required: true);
        var role = CliOptions.Text("--role", "ROLE", "app, agent, viewer, operator or admin.", required: true);
        var operations = CliOptions.Text("--operations", "A,B", "Limit an app or agent key to these operations, comma-separated.");
        var rpm = CliOptions.Text("--requests-per-minute", "N", "An app or agent key's own rate limit.");
        return AdminCommand.Create(
            "create",
            "Create a key and print it once: it is stored hashed and cannot be shown again (POST /admin/api/keys).",
            null,
            """
            helix keys create --name checkout --role app --operations chat,email-drafting --requests-per-minute 600
            """,
            context,
            [name, role, operations, rpm],
            parsed =>
            {
                var body = new JsonObject { ["name"] = parsed.GetValue(name), ["role"] = parsed.GetValue(role) };
                if (parsed.GetValue(operations) is { } names)
                {
                    body["operations"] = OperationList(names);
                }

                if (parsed.GetValue(rpm) is { } rpmText)
                {
                    body["requestsPerMinute"] = PerMinute(rpmText);
                }

                return new AdminRequest(HttpMethod.Post, "keys", body);
            },
            (root, _, output) =>
            {
                output.WriteLine($"Created {Text(root, "role")} key {Text(root, "id")} ({Text(root, "name")}).");
                output.WriteLine($"Key (shown this once; store it now): {Text(root, "key")}");
            });
    }

    private static HelixCommand List(CliContext context) => AdminCommand.Create(
        "list",
        "List the keys: never the keys themselves, only their ids, names, roles and last use (GET /admin/api/keys).",
        null,
        """
        helix keys list
        helix keys list --json
        """,
        context,
        [],
        _ => AdminRequest.Get("keys"),
        (root, _, output) =>
        {
            var table = new TextTable("ID", "NAME", "ROLE", "OPERATIONS", ">RPM", "LAST USED", "REVOKED");
            foreach (var key in AdminOutput.Items(root))
            {
                var operations = key.TryGetProperty("operations", out var ops) && ops.ValueKind == JsonValueKind.Array
                    ? string.Join(',', ops.EnumerateArray().Select(o => o.GetString()))
                    : "all";
                table.Add(Text(key, "id"), Text(key, "name"), Text(key, "role"), operations, Text(key, "requestsPerMinute", "default"),
                    Text(key, "lastUsedAt", "never"), Text(key, "revokedAt", "-"));
            }

            if (table.Count == 0)
            {
                output.WriteLine("No keys yet; the admin API takes Helix:AdminKey and the data plane is open until an app or agent key exists.");
                return;
            }

            table.WriteTo(output);
        });

    private static HelixCommand Edit(CliContext context)
    {
        var id = KeyId();
        var name = CliOptions.Text("--name", "NAME", "A new name.");
        var role = CliOptions.Text("--role", "ROLE", "A new role: app, agent, viewer, operator or admin.");
        var operations = CliOptions.Text("--operations", "A,B|all", "The operations an app or agent key may call, comma-separated, or 'all'.");
        var rpm = CliOptions.Text("--requests-per-minute", "N|default", "An app or agent key's own rate limit, or 'default'.");
        return AdminCommand.Create(
            "edit",
            "Change a key's name, role, operations or rate limit; what is not given stays (PATCH /admin/api/keys/{id}).",
            null,
            """
            helix keys edit key_0123456789abcdef --operations chat,email-drafting --requests-per-minute 1200
            helix keys edit key_0123456789abcdef --operations all --requests-per-minute default
            """,
            context,
            [id, name, role, operations, rpm],
            parsed =>
            {
                var body = new JsonObject();
                if (parsed.GetValue(name) is { } newName)
                {
                    body["name"] = newName;
                }

                if (parsed.GetValue(role) is { } newRole)
                {
                    body["role"] = newRole;
                }

                if (parsed.GetValue(operations) is { } names)
                {
                    body["operations"] = names == "all"
                        ? null
                        : OperationList(names);
                }

                if (parsed.GetValue(rpm) is { } rpmText)
                {
                    body["requestsPerMinute"] = rpmText == "default" ? null : PerMinute(rpmText);
                }

                return body.Count == 0
                    ? throw new UsageException("Give at least one of --name, --role, --operations or --requests-per-minute.")
                    : new AdminRequest(HttpMethod.Patch, "keys/" + Uri.EscapeDataString(parsed.GetValue(id)!), body);
            },
            (root, _, output) => output.WriteLine($"Updated {Text(root, "role")} key {Text(root, "id")} ({Text(root, "name")})."));
    }

    private static HelixCommand Revoke(CliContext context)
    {
        var id = KeyId();
        return AdminCommand.Create(
            "revoke",
            "Revoke a key: it is refused from its next request (DELETE /admin/api/keys/{id}).",
            null,
            """
            helix keys revoke key_0123456789abcdef
            """,
            context,
            [id],
            parsed => new AdminRequest(HttpMethod.Delete, "keys/" + Uri.EscapeDataString(parsed.GetValue(id)!)),
            (root, parsed, output) => output.WriteLine(
                $"Revoked key {Text(root, "id", parsed.GetValue(id)!)} ({Text(root, "name")}) at {Text(root, "revokedAt")}."));
    }

    private static Argument<string> KeyId() => CliOptions.Argument<string>("ID", "The key's id (key_…), as 'helix keys list' shows it.");

    private static JsonArray OperationList(string names) =>
        new([.. names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(o => JsonValue.Create(o))]);

    private static int PerMinute(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var perMinute) && perMinute >= 1
            ? perMinute
            : throw new UsageException($"--requests-per-minute needs a whole number of at least 1, not '{text}'.");

    private static string Text(JsonElement element, string name, string missing = "") =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => missing,
        } : missing;
}
