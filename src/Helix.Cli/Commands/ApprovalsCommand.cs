using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix approvals list|show|approve|reject</c>: the approval requests of the gateway, and human decisions on them.</summary>
internal static class ApprovalsCommand
{
    private static readonly (string Label, string Name)[] s_fields =
    [
        ("id", "id"), ("status", "status"), ("operation", "operation"), ("caller", "principalName"), ("caller id", "principalId"),
        ("model", "model"), ("policy", "policy"), ("why", "why"), ("worst case USD", "estimatedCostUsd"), ("created", "createdAt"),
        ("expires", "expiresAt"), ("decided", "decidedAt"), ("decided by", "decidedByName"), ("reason", "reason"), ("consumed", "consumedAt"),
    ];

    /// <summary>Creates <c>helix approvals</c> and its sub-commands.</summary>
    public static Command Create(CliContext context) => HelixCommand.Group(
        "approvals",
        "List approval requests; show, approve or reject one (list, show, approve, reject).",
        """
        Calls a route's approval policy holds wait for a human: list them, show one, approve or reject it
        (/admin/api/approvals). Only a human operator or admin who did not ask may decide; a rejection needs a
        reason. Once approved, the caller's retry with X-Helix-Approval: ID passes exactly once.
        """,
        List(context),
        Show(context),
        Decide(context, approve: true),
        Decide(context, approve: false));

    private static HelixCommand List(CliContext context)
    {
        var status = CliOptions.Text("--status", "S", "Only requests with this status: pending, approved, rejected, expired or consumed.");
        var limit = CliOptions.Text("--limit", "N", "At most N requests (1 to 1000, default 100).");
        return AdminCommand.Create(
            "list",
            "List approval requests, newest first (GET /admin/api/approvals).",
            null,
            """
            helix approvals list --status pending
            helix approvals list --limit 20 --json
            """,
            context,
            [status, limit],
            parsed =>
            {
                var query = new List<string>();
                if (parsed.GetValue(status) is { } wanted)
                {
                    query.Add("status=" + (wanted is "pending" or "approved" or "rejected" or "expired" or "consumed"
                        ? wanted
                        : throw new UsageException($"--status is pending, approved, rejected, expired or consumed, not '{wanted}'.")));
                }

                if (parsed.GetValue(limit) is { } most)
                {
                    query.Add("limit=" + (int.TryParse(most, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1000
                        ? most
                        : throw new UsageException($"--limit is a whole number from 1 to 1000, not '{most}'.")));
                }

                return AdminRequest.Get("approvals" + (query.Count == 0 ? "" : "?" + string.Join('&', query)));
            },
            (answer, parsed, output) =>
            {
                var items = AdminOutput.Items(answer).ToArray();
                if (items.Length == 0)
                {
                    output.WriteLine(parsed.GetValue(status) is { } wanted ? $"No {wanted} approval requests." : "No approval requests.");
                    return;
                }

                var table = new TextTable("ID", "STATUS", "OPERATION", "CALLER", "MODEL", ">WORST CASE USD", "EXPIRES");
                foreach (var item in items)
                {
                    table.Add(Text(item, "id"), Text(item, "status"), Text(item, "operation"), Text(item, "principalName"), Text(item, "model"),
                        Text(item, "estimatedCostUsd", "unpriced"), Text(item, "expiresAt"));
                }

                table.WriteTo(output);
            });
    }

    private static HelixCommand Show(CliContext context)
    {
        var id = CliOptions.Argument<string>("ID", "The approval request's id (apr_…).");
        return AdminCommand.Create(
            "show",
            "Show one approval request: who asked, for what, its worst-case cost and its decision (GET /admin/api/approvals/{id}).",
            null,
            """
            helix approvals show apr_0193c3a1e2f47b5c9d0e1f2a3b4c5d6e
            """,
            context,
            [id],
            parsed => AdminRequest.Get("approvals/" + Uri.EscapeDataString(parsed.GetValue(id)!)),
            (answer, _, output) => WriteOne(answer, output));
    }

    private static HelixCommand Decide(CliContext context, bool approve)
    {
        var verb = approve ? "approve" : "reject";
        var id = CliOptions.Argument<string>("ID", "The approval request's id (apr_…).");
        var reason = CliOptions.Text("--reason", "TEXT", approve ? "Why (optional)." : "Why (required).", required: !approve);
        return AdminCommand.Create(
            verb,
            approve
                ? "Approve a pending request (POST /admin/api/approvals/{id}/approve); the caller's retry then passes once."
                : "Reject a pending request with a reason (POST /admin/api/approvals/{id}/reject).",
            null,
            approve
                ? "helix approvals approve apr_0193c3a1e2f47b5c9d0e1f2a3b4c5d6e"
                : "helix approvals reject apr_0193c3a1e2f47b5c9d0e1f2a3b4c5d6e --reason \"The invoice was paid yesterday.\" --json",
            context,
            [id, reason],
            parsed =>
            {
                var why = parsed.GetValue(reason);
                if (!approve && string.IsNullOrWhiteSpace(why))
                {
                    throw new UsageException("A rejection needs a reason: --reason TEXT.");
                }

                var body = why is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["reason"] = why };
                return new AdminRequest(HttpMethod.Post, $"approvals/{Uri.EscapeDataString(parsed.GetValue(id)!)}/{verb}", body);
            },
            (answer, _, output) => WriteOne(answer, output));
    }

    private static void WriteOne(JsonElement item, TextWriter output)
    {
        var table = new TextTable("FIELD", "VALUE");
        foreach (var (label, name) in s_fields)
        {
            table.Add(label, Text(item, name));
        }

        table.WriteTo(output, withHeader: false);
    }

    private static string Text(JsonElement item, string name, string missing = "-") =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => missing,
            _ => value.GetRawText(),
        } : missing;
}
