using System.Globalization;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix routes list|show|set</c>: operations' routes through the admin API.</summary>
internal static class RoutesCommand
{
    public const string Name = "routes";

    private static readonly OptionSpec s_json = new("json", null, "Print the gateway's answer as JSON.");
    private static readonly OptionSpec s_primary = new("primary", "MODEL", "The primary model (provider/model, or a model id the catalog knows).");
    private static readonly OptionSpec s_fallback = new("fallback", "M1,M2", "The fallback models, in order, comma-separated (replaces the list).");
    private static readonly OptionSpec s_noFallback = new("no-fallback", null, "Remove every fallback model.");
    private static readonly OptionSpec s_policy = new("unknown-price-policy", "flag|block", "What a model without a price does: flag its calls, or is skipped.");
    private static readonly OptionSpec s_maxOutput = new("max-output-tokens", "N|none", "The output cap sent upstream when a request sets none; none removes it.");

    private static readonly IReadOnlyList<OptionSpec> s_readOptions = [AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    private static readonly IReadOnlyList<OptionSpec> s_setOptions =
        [s_primary, s_fallback, s_noFallback, s_policy, s_maxOutput, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    public static string Help => """
        Usage: helix routes list [options]
               helix routes show OPERATION [options]
               helix routes set OPERATION [--primary MODEL] [--fallback M1,M2] [options]

          list   Every operation's route: its primary and fallback models.
          show   One operation's route and every version of it, with who changed it.
          set    Change an operation's models, unknown-price policy or output cap (effective on the next call).

        Run 'helix routes <command> --help' for its options.

        """;

    public static string ListHelp => CommandHelp.Format(
        "helix routes list [--url URL] [--admin-key KEY] [--json]",
        "Lists every operation's route (GET /admin/api/routes).",
        s_readOptions,
        """
        helix routes list
        helix routes list --json
        """);

    public static string ShowHelp => CommandHelp.Format(
        "helix routes show OPERATION [--url URL] [--admin-key KEY] [--json]",
        "Shows an operation's route and its versions, newest first (GET /admin/api/routes/{operation}/history).",
        s_readOptions,
        """
        helix routes show chat
        """);

    public static string SetHelp => CommandHelp.Format(
        "helix routes set OPERATION [--primary MODEL] [--fallback M1,M2 | --no-fallback] [--unknown-price-policy flag|block] [--max-output-tokens N|none] [--url URL] [--admin-key KEY] [--json]",
        """
        Changes an operation's route (PUT /admin/api/routes/{operation}); what is not given stays as it is. The
        change is effective on the next call and recorded in the change history with who made it.
        """,
        s_setOptions,
        """
        helix routes set chat --primary openai/gpt-4.1-mini --fallback gemini/gemini-2.5-flash
        helix routes set chat --max-output-tokens none
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
            "set" => await SetAsync(rest, context, cancellationToken),
            var other => throw new UsageException($"Unknown command 'routes {other}'; the routes commands are 'list', 'show' and 'set'."),
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

        using var answer = await AdminApiClient.From(parsed, context).GetAsync("routes", cancellationToken);
        if (parsed.Has(s_json.Name))
        {
            await AdminOutput.WriteJsonAsync(context.Stdout, answer.RootElement);
            return ExitCodes.Success;
        }

        var table = new TextTable("OPERATION", "PRIMARY", "FALLBACKS", "MODALITY", "ENABLED", ">VERSION");
        foreach (var route in AdminOutput.Items(answer.RootElement).OrderBy(r => AdminOutput.Cell(r, "operation"), StringComparer.Ordinal))
        {
            table.Add(
                AdminOutput.Cell(route, "operation"), AdminOutput.Cell(route, "primaryModel"), AdminOutput.Cell(route, "fallbackModels"),
                AdminOutput.Cell(route, "modality"), AdminOutput.Cell(route, "enabled"), AdminOutput.Cell(route, "version"));
        }

        table.WriteTo(context.Stdout);
        return ExitCodes.Success;
    }

    private static async Task<int> ShowAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, s_readOptions, ["OPERATION"], requiredPositionals: 1);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(ShowHelp);
            return ExitCodes.Success;
        }

        var operation = parsed.Positionals[0];
        using var answer = await AdminApiClient.From(parsed, context).GetAsync($"routes/{Uri.EscapeDataString(operation)}/history", cancellationToken);
        if (parsed.Has(s_json.Name))
        {
            await AdminOutput.WriteJsonAsync(context.Stdout, answer.RootElement);
            return ExitCodes.Success;
        }

        var versions = AdminOutput.Items(answer.RootElement).ToArray();
        if (versions.Length > 0)
        {
            var current = versions[0];
            var details = new TextTable("FIELD", "VALUE");
            details.Add("operation", AdminOutput.Cell(current, "operation"));
            details.Add("primary", AdminOutput.Cell(current, "primaryModel"));
            details.Add("fallbacks", AdminOutput.Cell(current, "fallbackModels"));
            details.Add("modality", AdminOutput.Cell(current, "modality"));
            details.Add("enabled", AdminOutput.Cell(current, "enabled"));
            details.Add("retired", AdminOutput.Cell(current, "retired"));
            details.Add("unknown prices", AdminOutput.Cell(current, "unknownPricePolicy"));
            details.Add("max output tokens", AdminOutput.Cell(current, "maxOutputTokens") is "-" ? "the model's own" : AdminOutput.Cell(current, "maxOutputTokens"));
            details.WriteTo(context.Stdout, withHeader: false);
            await context.Stdout.WriteLineAsync();
        }

        var history = new TextTable(">VERSION", "UPDATED", "BY", "PRIMARY", "FALLBACKS");
        foreach (var version in versions)
        {
            history.Add(
                AdminOutput.Cell(version, "version"), AdminOutput.Time(version, "updatedAt"), AdminOutput.Cell(version, "updatedBy"),
                AdminOutput.Cell(version, "primaryModel"), AdminOutput.Cell(version, "fallbackModels"));
        }

        history.WriteTo(context.Stdout);
        return ExitCodes.Success;
    }

    private static async Task<int> SetAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, s_setOptions, ["OPERATION"], requiredPositionals: 1);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(SetHelp);
            return ExitCodes.Success;
        }

        var body = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (parsed.Value(s_primary.Name) is { } primary)
        {
            body["primaryModel"] = primary;
        }

        if (parsed.Has(s_noFallback.Name) && parsed.Has(s_fallback.Name))
        {
            throw new UsageException("Give --fallback or --no-fallback, not both.");
        }

        if (parsed.Value(s_fallback.Name) is { } fallbacks)
        {
            var models = fallbacks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (models.Length == 0)
            {
                throw new UsageException("--fallback needs one or more models, comma-separated (--no-fallback removes them all).");
            }

            body["fallbackModels"] = models;
        }
        else if (parsed.Has(s_noFallback.Name))
        {
            body["fallbackModels"] = Array.Empty<string>();
        }

        if (parsed.Value(s_policy.Name) is { } policy)
        {
            body["unknownPricePolicy"] = policy is "flag" or "block" ? policy : throw new UsageException($"--unknown-price-policy is flag or block, not '{policy}'.");
        }

        if (parsed.Value(s_maxOutput.Name) is { } cap)
        {
            body["maxOutputTokens"] = cap == "none"
                ? null
                : int.TryParse(cap, NumberStyles.None, CultureInfo.InvariantCulture, out var tokens) && tokens > 0
                    ? tokens
                    : throw new UsageException($"--max-output-tokens is a whole number of tokens, or none, not '{cap}'.");
        }

        if (body.Count == 0)
        {
            throw new UsageException("Nothing to change: give --primary, --fallback, --no-fallback, --unknown-price-policy or --max-output-tokens.");
        }

        var operation = parsed.Positionals[0];
        using var answer = await AdminApiClient.From(parsed, context).PutJsonAsync($"routes/{Uri.EscapeDataString(operation)}", body, cancellationToken);
        var route = answer.RootElement;
        if (parsed.Has(s_json.Name))
        {
            await AdminOutput.WriteJsonAsync(context.Stdout, route);
            return ExitCodes.Success;
        }

        await context.Stdout.WriteLineAsync(
            $"Route of {AdminOutput.Cell(route, "operation")} is now version {AdminOutput.Cell(route, "version")}: " +
            $"{AdminOutput.Cell(route, "primaryModel")}, falling back to {AdminOutput.Cell(route, "fallbackModels")}.");
        return ExitCodes.Success;
    }
}
