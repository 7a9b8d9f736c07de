using System.Globalization;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix approvals list|show|approve|reject</c>: the approval requests of the gateway, and human decisions on them.</summary>
internal static class ApprovalsCommand
{
    public const string Name = "approvals";

    private static readonly OptionSpec s_status = new("status", "S", "Only requests with this status: pending, approved, rejected, expired or consumed.");
    private static readonly OptionSpec s_limit = new("limit", "N", "At most N requests (1 to 1000, default 100).");
    private static readonly OptionSpec s_reason = new("reason", "TEXT", "Why (required to reject; optional to approve).");
    private static readonly OptionSpec s_json = new("json", null, "Print the gateway's answer as JSON.");

    private static IReadOnlyList<OptionSpec> ListOptions { get; } = [s_status, s_limit, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    private static IReadOnlyList<OptionSpec> ShowOptions { get; } = [AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    private static IReadOnlyList<OptionSpec> DecideOptions { get; } = [s_reason, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    public static string Help => CommandHelp.Format(
        "helix approvals list [--status S] [--limit N] | show ID | approve ID [--reason TEXT] | reject ID --reason TEXT  [--url URL] [--admin-key KEY] [--json]",
        """
        Calls a route's approval policy holds wait for a human: list them, show one, approve or reject it
        (/admin/api/approvals). Only a human operator or admin who did not ask may decide; a rejection needs a
        reason. Once approved, the caller's retry with X-Helix-Approval: ID passes exactly once.
        """,
        [s_status, s_limit, s_reason, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json],
        """
        helix approvals list --status pending
        helix approvals show apr_0193c3a1e2f47b5c9d0e1f2a3b4c5d6e
        helix approvals approve apr_0193c3a1e2f47b5c9d0e1f2a3b4c5d6e
        helix approvals reject apr_0193c3a1e2f47b5c9d0e1f2a3b4c5d6e --reason "The invoice was paid yesterday." --json
        """);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help")
        {
            await (args.Count == 0 ? context.Stderr : context.Stdout).WriteAsync(Help);
            return args.Count == 0 ? ExitCodes.UsageError : ExitCodes.Success;
        }

        var rest = args.Skip(1).ToArray();
        return args[0] switch
        {
            "list" => await ListAsync(rest, context, cancellationToken),
            "show" => await ShowAsync(rest, context, cancellationToken),
            "approve" => await DecideAsync(rest, approve: true, context, cancellationToken),
            "reject" => await DecideAsync(rest, approve: false, context, cancellationToken),
            var other => throw new UsageException($"Unknown command 'approvals {other}'; the approvals commands are list, show, approve and reject."),
        };
    }

    private static async Task<int> ListAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, ListOptions);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(Help);
            return ExitCodes.Success;
        }

        var status = parsed.Value(s_status.Name);
        if (status is not null && status is not ("pending" or "approved" or "rejected" or "expired" or "consumed"))
        {
            throw new UsageException($"--status is pending, approved, rejected, expired or consumed, not '{status}'.");
        }

        var limit = parsed.Value(s_limit.Name);
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 1000))
        {
            throw new UsageException($"--limit is a whole number from 1 to 1000, not '{limit}'.");
        }

        var query = new List<string>();
        if (status is not null)
        {
            query.Add("status=" + status);
        }

        if (limit is not null)
        {
            query.Add("limit=" + limit);
        }

        var client = AdminApiClient.From(parsed, context);
        using var answer = await client.SendAsync(HttpMethod.Get, "approvals" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), null, null, cancellationToken);
        if (parsed.Has(s_json.Name))
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(answer.RootElement, JsonOutput.Indented));
            return ExitCodes.Success;
        }

        var items = answer.RootElement.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToArray() : [];
        if (items.Length == 0)
        {
            await context.Stdout.WriteLineAsync(status is null ? "No approval requests." : $"No {status} approval requests.");
            return ExitCodes.Success;
        }

        var table = new TextTable("ID", "STATUS", "OPERATION", "CALLER", "MODEL", ">WORST CASE USD", "EXPIRES");
        foreach (var item in items)
        {
            table.Add(Text(item, "id"), Text(item, "status"), Text(item, "operation"), Text(item, "principalName"), Text(item, "model"),
                Text(item, "estimatedCostUsd", "unpriced"), Text(item, "expiresAt"));
        }

        table.WriteTo(context.Stdout);
        return ExitCodes.Success;
    }

    private static async Task<int> ShowAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, ShowOptions, ["ID"], requiredPositionals: 1);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(Help);
            return ExitCodes.Success;
        }

        var client = AdminApiClient.From(parsed, context);
        using var answer = await client.SendAsync(HttpMethod.Get, "approvals/" + Uri.EscapeDataString(parsed.Positionals[0]), null, null, cancellationToken);
        await WriteOneAsync(answer.RootElement, parsed.Has(s_json.Name), context);
        return ExitCodes.Success;
    }

    private static async Task<int> DecideAsync(string[] args, bool approve, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, DecideOptions, ["ID"], requiredPositionals: 1);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(Help);
            return ExitCodes.Success;
        }

        var reason = parsed.Value(s_reason.Name);
        if (!approve && string.IsNullOrWhiteSpace(reason))
        {
            throw new UsageException("A rejection needs a reason: --reason TEXT.");
        }

        var client = AdminApiClient.From(parsed, context);
        var body = reason is null ? "{}"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["reason"] = reason });
        var path = $"approvals/{Uri.EscapeDataString(parsed.Positionals[0])}/{(approve ? "approve" : "reject")}";
        using var answer = await client.PostAsync(path, body, "application/json", cancellationToken);
        await WriteOneAsync(answer.RootElement, parsed.Has(s_json.Name), context);
        return ExitCodes.Success;
    }

    private static async Task WriteOneAsync(JsonElement item, bool json, CliContext context)
    {
        if (json)
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(item, JsonOutput.Indented));
            return;
        }

        var table = new TextTable("FIELD", "VALUE");
        foreach (var (label, name) in s_fields)
        {
            table.Add(label, Text(item, name));
        }

        table.WriteTo(context.Stdout, withHeader: false);
    }

    private static readonly (string Label, string Name)[] s_fields =
    [
        ("id", "id"), ("status", "status"), ("operation", "operation"), ("caller", "principalName"), ("caller id", "principalId"),
        ("model", "model"), ("policy", "policy"), ("why", "why"), ("worst case USD", "estimatedCostUsd"), ("created", "createdAt"),
        ("expires", "expiresAt"), ("decided", "decidedAt"), ("decided by", "decidedByName"), ("reason", "reason"), ("consumed", "consumedAt"),
    ];

    private static string Text(JsonElement item, string name, string missing = "-") =>
        item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => missing,
            _ => value.GetRawText(),
        } : missing;
}
