using System.Globalization;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix budgets list|set|delete</c>: spend limits through the admin API.</summary>
internal static class BudgetsCommand
{
    public const string Name = "budgets";

    private static readonly OptionSpec s_json = new("json", null, "Print the gateway's answer as JSON.");
    private static readonly OptionSpec s_scope = new("scope", "SCOPE", "global, user, operation or key.", Required: true);
    private static readonly OptionSpec s_subject = new("subject", "NAME", "The user, operation or key limited (not for global).");
    private static readonly OptionSpec s_period = new("period", "day|month", "The period the limit is for.", Required: true);
    private static readonly OptionSpec s_limit = new("limit", "USD", "The limit in USD, e.g. 25.00.", Required: true);
    private static readonly OptionSpec s_soft = new("soft", null, "Alert only: do not refuse calls over the limit.");
    private static readonly OptionSpec s_thresholds = new("thresholds", "F1,F2", "Fractions of the limit that alert, e.g. 0.5,0.8,1 (the default).");
    private static readonly OptionSpec s_timeZone = new("time-zone", "ZONE", "The IANA time zone whose days and months the period follows (default UTC).");

    private static readonly IReadOnlyList<OptionSpec> s_readOptions = [AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    private static readonly IReadOnlyList<OptionSpec> s_setOptions =
        [s_scope, s_subject, s_period, s_limit, s_soft, s_thresholds, s_timeZone, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    private static readonly IReadOnlyList<OptionSpec> s_deleteOptions = [AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption];

    public static string Help => """
        Usage: helix budgets list [options]
               helix budgets set --scope SCOPE [--subject NAME] --period day|month --limit USD [options]
               helix budgets delete ID [options]

          list     Every budget with its current period's spend and what remains.
          set      Add a budget, or replace the one with the same scope, subject and period.
          delete   Delete a budget.

        Run 'helix budgets <command> --help' for its options.

        """;

    public static string ListHelp => CommandHelp.Format(
        "helix budgets list [--url URL] [--admin-key KEY] [--json]",
        "Lists every budget with its limit, spend, reservations and what remains this period (GET /admin/api/budgets).",
        s_readOptions,
        """
        helix budgets list
        """);

    public static string SetHelp => CommandHelp.Format(
        "helix budgets set --scope SCOPE [--subject NAME] --period day|month --limit USD [--soft] [--thresholds F1,F2] [--time-zone ZONE] [--url URL] [--admin-key KEY] [--json]",
        """
        Adds a budget, or replaces the one with the same scope, subject and period (PUT /admin/api/budgets). A hard
        budget refuses calls that would exceed it; --soft only alerts. The change is recorded in the change history.
        """,
        s_setOptions,
        """
        helix budgets set --scope global --period day --limit 100
        helix budgets set --scope user --subject alice --period month --limit 25.00 --soft
        """);

    public static string DeleteHelp => CommandHelp.Format(
        "helix budgets delete ID [--url URL] [--admin-key KEY]",
        "Deletes a budget by its id, as 'helix budgets list' shows it (DELETE /admin/api/budgets/{id}).",
        s_deleteOptions,
        """
        helix budgets delete 3
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
            "set" => await SetAsync(rest, context, cancellationToken),
            "delete" => await DeleteAsync(rest, context, cancellationToken),
            var other => throw new UsageException($"Unknown command 'budgets {other}'; the budgets commands are 'list', 'set' and 'delete'."),
        };
    }

    private static async Task<int> ListAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, s_readOptions);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(ListHelp);
            return ExitCodes.Success;
        }

        using var answer = await AdminApiClient.From(parsed, context).GetAsync("budgets", cancellationToken);
        if (parsed.Has(s_json.Name))
        {
            await AdminOutput.WriteJsonAsync(context.Stdout, answer.RootElement);
            return ExitCodes.Success;
        }

        var table = new TextTable(">ID", "SCOPE", "SUBJECT", "PERIOD", ">LIMIT USD", ">SPENT USD", ">RESERVED USD", ">REMAINING USD", "HARD");
        foreach (var budget in AdminOutput.Items(answer.RootElement))
        {
            table.Add(
                AdminOutput.Cell(budget, "id"), AdminOutput.Cell(budget, "scope"), AdminOutput.Cell(budget, "subject"), AdminOutput.Cell(budget, "period"),
                AdminOutput.Cell(budget, "limitUsd"), AdminOutput.Cell(budget, "spentUsd"), AdminOutput.Cell(budget, "reservedUsd"),
                AdminOutput.Cell(budget, "remainingUsd"), AdminOutput.Cell(budget, "hard"));
        }

        if (table.Count == 0)
        {
            await context.Stdout.WriteLineAsync("No budgets.");
            return ExitCodes.Success;
        }

        table.WriteTo(context.Stdout);
        return ExitCodes.Success;
    }

    private static async Task<int> SetAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, s_setOptions);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(SetHelp);
            return ExitCodes.Success;
        }

        var limit = parsed.Decimal(s_limit.Name)!.Value;
        var body = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["scope"] = parsed.Value(s_scope.Name),
            ["period"] = parsed.Value(s_period.Name),

            // Money travels as a decimal string, exactly as typed.
            ["limitUsd"] = limit.ToString(CultureInfo.InvariantCulture),
            ["hard"] = !parsed.Has(s_soft.Name),
        };
        if (parsed.Value(s_subject.Name) is { } subject)
        {
            body["subject"] = subject;
        }

        if (parsed.Value(s_thresholds.Name) is { } thresholds)
        {
            body["thresholds"] = thresholds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new UsageException($"--thresholds takes fractions of the limit such as 0.5,0.8,1, not '{t}'."))
                .ToArray();
        }

        if (parsed.Value(s_timeZone.Name) is { } zone)
        {
            body["timeZone"] = zone;
        }

        using var answer = await AdminApiClient.From(parsed, context).PutJsonAsync("budgets", body, cancellationToken);
        var budget = answer.RootElement;
        if (parsed.Has(s_json.Name))
        {
            await AdminOutput.WriteJsonAsync(context.Stdout, budget);
            return ExitCodes.Success;
        }

        await context.Stdout.WriteLineAsync(
            $"Budget {AdminOutput.Cell(budget, "id")}: {AdminOutput.Cell(budget, "scope")} {AdminOutput.Cell(budget, "subject")}, " +
            $"{AdminOutput.Cell(budget, "limitUsd")} USD a {AdminOutput.Cell(budget, "period")} ({(AdminOutput.Cell(budget, "hard") == "yes" ? "hard" : "soft")}); " +
            $"{AdminOutput.Cell(budget, "remainingUsd")} USD remains this period.");
        return ExitCodes.Success;
    }

    private static async Task<int> DeleteAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, s_deleteOptions, ["ID"], requiredPositionals: 1);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(DeleteHelp);
            return ExitCodes.Success;
        }

        var id = parsed.Positionals[0];
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException($"ID is a budget's number, as 'helix budgets list' shows it, not '{id}'.");
        }

        using var answer = await AdminApiClient.From(parsed, context).DeleteAsync($"budgets/{id}", cancellationToken);
        await context.Stdout.WriteLineAsync($"Deleted budget {id}.");
        return ExitCodes.Success;
    }
}
