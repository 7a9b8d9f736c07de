using System.CommandLine;
using System.Globalization;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix budgets list|set|delete</c>: spend limits through the admin API.</summary>
internal static class BudgetsCommand
{
    /// <summary>Creates <c>helix budgets</c> and its sub-commands.</summary>
    public static Command Create(CliContext context) => HelixCommand.Group(
        "budgets",
        "List, set or delete budgets: spend limits per period, hard or soft (list, set, delete).",
        null,
        List(context),
        Set(context),
        Delete(context));

    private static HelixCommand List(CliContext context) => AdminCommand.Create(
        "list",
        "List every budget with its limit, spend, reservations and what remains this period (GET /admin/api/budgets).",
        null,
        """
        helix budgets list
        """,
        context,
        [],
        _ => AdminRequest.Get("budgets"),
        (answer, _, output) =>
        {
            var table = new TextTable(">ID", "SCOPE", "SUBJECT", "PERIOD", ">LIMIT USD", ">SPENT USD", ">RESERVED USD", ">REMAINING USD", "HARD");
            foreach (var budget in AdminOutput.Items(answer))
            {
                table.Add(
                    AdminOutput.Cell(budget, "id"), AdminOutput.Cell(budget, "scope"), AdminOutput.Cell(budget, "subject"), AdminOutput.Cell(budget, "period"),
                    AdminOutput.Cell(budget, "limitUsd"), AdminOutput.Cell(budget, "spentUsd"), AdminOutput.Cell(budget, "reservedUsd"),
                    AdminOutput.Cell(budget, "remainingUsd"), AdminOutput.Cell(budget, "hard"));
            }

            if (table.Count == 0)
            {
                output.WriteLine("No budgets.");
                return;
            }

            table.WriteTo(output);
        });

    private static HelixCommand Set(CliContext context)
    {
        var scope = CliOptions.Text("--scope", "SCOPE", "global, user, operation or key.", required: true);
        var subject = CliOptions.Text("--subject", "NAME", "The user, operation or key limited (not for global).");
        var period = CliOptions.Text("--period", "day|month", "The period the limit is for.", required: true);
        var limit = CliOptions.Decimal("--limit", "USD", "The limit in USD, e.g. 25.00.", required: true);
        var soft = CliOptions.Flag("--soft", "Alert only: do not refuse calls over the limit.");
        var thresholds = CliOptions.Text("--thresholds", "F1,F2", "Fractions of the limit that alert, e.g. 0.5,0.8,1 (the default).");
        var timeZone = CliOptions.Text("--time-zone", "ZONE", "The IANA time zone whose days and months the period follows (default UTC).");
        return AdminCommand.Create(
            "set",
            "Add a budget, or replace the one with the same scope, subject and period.",
            """
            Adds a budget, or replaces the one with the same scope, subject and period (PUT /admin/api/budgets). A hard
            budget refuses calls that would exceed it; --soft only alerts. The change is recorded in the change history.
            """,
            """
            helix budgets set --scope global --period day --limit 100
            helix budgets set --scope user --subject alice --period month --limit 25.00 --soft
            """,
            context,
            [scope, subject, period, limit, soft, thresholds, timeZone],
            parsed =>
            {
                var body = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["scope"] = parsed.GetValue(scope),
                    ["period"] = parsed.GetValue(period),

                    // Money travels as a decimal string, exactly as typed.
                    ["limitUsd"] = parsed.GetValue(limit)!.Value.ToString(CultureInfo.InvariantCulture),
                    ["hard"] = !parsed.GetValue(soft),
                };
                if (parsed.GetValue(subject) is { } name)
                {
                    body["subject"] = name;
                }

                if (parsed.GetValue(thresholds) is { } fractions)
                {
                    body["thresholds"] = fractions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(t => decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                            ? value
                            : throw new UsageException($"--thresholds takes fractions of the limit such as 0.5,0.8,1, not '{t}'."))
                        .ToArray();
                }

                if (parsed.GetValue(timeZone) is { } zone)
                {
                    body["timeZone"] = zone;
                }

                return new AdminRequest(HttpMethod.Put, "budgets", body);
            },
            (budget, _, output) => output.WriteLine(
                $"Budget {AdminOutput.Cell(budget, "id")}: {AdminOutput.Cell(budget, "scope")} {AdminOutput.Cell(budget, "subject")}, " +
                $"{AdminOutput.Cell(budget, "limitUsd")} USD a {AdminOutput.Cell(budget, "period")} ({(AdminOutput.Cell(budget, "hard") == "yes" ? "hard" : "soft")}); " +
                $"{AdminOutput.Cell(budget, "remainingUsd")} USD remains this period."));
    }

    private static HelixCommand Delete(CliContext context)
    {
        var id = CliOptions.Argument<string>("ID", "The budget's number, as 'helix budgets list' shows it.");
        return AdminCommand.Create(
            "delete",
            "Delete a budget by its id, as 'helix budgets list' shows it (DELETE /admin/api/budgets/{id}).",
            null,
            """
            helix budgets delete 3
            """,
            context,
            [id],
            parsed => new AdminRequest(HttpMethod.Delete, $"budgets/{Id(parsed.GetValue(id)!)}"),
            (_, parsed, output) => output.WriteLine($"Deleted budget {parsed.GetValue(id)}."),
            json: false);
    }

    private static string Id(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? id
            : throw new UsageException($"ID is a budget's number, as 'helix budgets list' shows it, not '{id}'.");
}
