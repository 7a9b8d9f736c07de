using System.CommandLine;
using System.Globalization;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix routes list|show|set</c>: operations' routes through the admin API.</summary>
internal static class RoutesCommand
{
    /// <summary>Creates <c>helix routes</c> and its sub-commands.</summary>
    public static Command Create(CliContext context) => HelixCommand.Group(
        "routes",
        "List, show or change operations' routes: their primary and fallback models (list, show, set).",
        null,
        List(context),
        Show(context),
        Set(context));

    private static HelixCommand List(CliContext context) => AdminCommand.Create(
        "list",
        "List every operation's route: its primary and fallback models (GET /admin/api/routes).",
        null,
        """
        helix routes list
        helix routes list --json
        """,
        context,
        [],
        _ => AdminRequest.Get("routes"),
        (answer, _, output) =>
        {
            var table = new TextTable("OPERATION", "PRIMARY", "FALLBACKS", "MODALITY", "ENABLED", ">VERSION");
            foreach (var route in AdminOutput.Items(answer).OrderBy(r => AdminOutput.Cell(r, "operation"), StringComparer.Ordinal))
            {
                table.Add(
                    AdminOutput.Cell(route, "operation"), AdminOutput.Cell(route, "primaryModel"), AdminOutput.Cell(route, "fallbackModels"),
                    AdminOutput.Cell(route, "modality"), AdminOutput.Cell(route, "enabled"), AdminOutput.Cell(route, "version"));
            }

            table.WriteTo(output);
        });

    private static HelixCommand Show(CliContext context)
    {
        var operation = CliOptions.Argument<string>("OPERATION", "The operation (chat, agent…).");
        return AdminCommand.Create(
            "show",
            "Show an operation's route and its versions, newest first, with who changed it (GET /admin/api/routes/{operation}/history).",
            null,
            """
            helix routes show chat
            """,
            context,
            [operation],
            parsed => AdminRequest.Get($"routes/{Uri.EscapeDataString(parsed.GetValue(operation)!)}/history"),
            (answer, _, output) =>
            {
                var versions = AdminOutput.Items(answer).ToArray();
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
                    details.WriteTo(output, withHeader: false);
                    output.WriteLine();
                }

                var history = new TextTable(">VERSION", "UPDATED", "BY", "PRIMARY", "FALLBACKS");
                foreach (var version in versions)
                {
                    history.Add(
                        AdminOutput.Cell(version, "version"), AdminOutput.Time(version, "updatedAt"), AdminOutput.Cell(version, "updatedBy"),
                        AdminOutput.Cell(version, "primaryModel"), AdminOutput.Cell(version, "fallbackModels"));
                }

                history.WriteTo(output);
            });
    }

    private static HelixCommand Set(CliContext context)
    {
        var operation = CliOptions.Argument<string>("OPERATION", "The operation whose route changes.");
        var primary = CliOptions.Text("--primary", "MODEL", "The primary model (provider/model, or a model id the catalog knows).");
        var fallback = CliOptions.Text("--fallback", "M1,M2", "The fallback models, in order, comma-separated (replaces the list).");
        var noFallback = CliOptions.Flag("--no-fallback", "Remove every fallback model.");
        var policy = CliOptions.Text("--unknown-price-policy", "flag|block", "What a model without a price does: flag its calls, or is skipped.");
        var maxOutput = CliOptions.Text("--max-output-tokens", "N|none", "The output cap sent upstream when a request sets none; none removes it.");
        return AdminCommand.Create(
            "set",
            "Change an operation's models, unknown-price policy or output cap (effective on the next call).",
            """
            Changes an operation's route (PUT /admin/api/routes/{operation}); what is not given stays as it is. The
            change is effective on the next call and recorded in the change history with who made it.
            """,
            """
            helix routes set chat --primary openai/gpt-4.1-mini --fallback gemini/gemini-2.5-flash
            helix routes set chat --max-output-tokens none
            """,
            context,
            [operation, primary, fallback, noFallback, policy, maxOutput],
            parsed =>
            {
                var body = new Dictionary<string, object?>(StringComparer.Ordinal);
                if (parsed.GetValue(primary) is { } model)
                {
                    body["primaryModel"] = model;
                }

                if (parsed.GetValue(noFallback) && parsed.GetValue(fallback) is not null)
                {
                    throw new UsageException("Give --fallback or --no-fallback, not both.");
                }

                if (parsed.GetValue(fallback) is { } fallbacks)
                {
                    var models = fallbacks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (models.Length == 0)
                    {
                        throw new UsageException("--fallback needs one or more models, comma-separated (--no-fallback removes them all).");
                    }

                    body["fallbackModels"] = models;
                }
                else if (parsed.GetValue(noFallback))
                {
                    body["fallbackModels"] = Array.Empty<string>();
                }

                if (parsed.GetValue(policy) is { } unknownPrices)
                {
                    body["unknownPricePolicy"] = unknownPrices is "flag" or "block"
                        ? unknownPrices
                        : throw new UsageException($"--unknown-price-policy is flag or block, not '{unknownPrices}'.");
                }

                if (parsed.GetValue(maxOutput) is { } cap)
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

                return new AdminRequest(HttpMethod.Put, $"routes/{Uri.EscapeDataString(parsed.GetValue(operation)!)}", body);
            },
            (route, _, output) => output.WriteLine(
                $"Route of {AdminOutput.Cell(route, "operation")} is now version {AdminOutput.Cell(route, "version")}: " +
                $"{AdminOutput.Cell(route, "primaryModel")}, falling back to {AdminOutput.Cell(route, "fallbackModels")}."));
    }
}
