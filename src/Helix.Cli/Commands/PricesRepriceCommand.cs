using System.Globalization;
using System.Text;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix prices reprice</c>: re-prices past calls with the prices now in force, through the gateway.</summary>
internal static class PricesRepriceCommand
{
    public const string Name = "prices reprice";

    private static readonly OptionSpec s_from = new("from", "ISO-8601", "The first instant of the calls to re-price (inclusive).", Required: true);
    private static readonly OptionSpec s_to = new("to", "ISO-8601", "The end of the range (exclusive).", Required: true);
    private static readonly OptionSpec s_provider = new("provider", "P", "Only calls to this provider.");
    private static readonly OptionSpec s_model = new("model", "M", "Only calls to this catalog model.");
    private static readonly OptionSpec s_json = new("json", null, "Print the gateway's answer as JSON.");

    public static IReadOnlyList<OptionSpec> Options { get; } =
        [s_from, s_to, s_provider, s_model, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    public static string Help => CommandHelp.Format(
        "helix prices reprice --from ISO-8601 --to ISO-8601 [--provider P] [--model M] [--url URL] [--admin-key KEY] [--json]",
        """
        After a price fix, prices the logged calls of a period again with the prices now in force, each at its own
        time (POST /admin/api/logs/reprice). Calls whose cost changes get a cost adjustment; the log rows themselves
        are never changed, and a price that is still missing never erases a recorded cost.
        """,
        Options,
        """
        helix prices reprice --from 2026-11-01 --to 2026-12-01
        helix prices reprice --from 2026-11-01 --to 2026-11-02 --provider openai --json
        """);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, Options);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(Help);
            return ExitCodes.Success;
        }

        var from = parsed.Instant(s_from.Name)!.Value;
        var to = parsed.Instant(s_to.Name)!.Value;
        if (to <= from)
        {
            throw new UsageException("--to must be after --from.");
        }

        var client = AdminApiClient.From(parsed, context);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["from"] = from,
            ["to"] = to,
            ["provider"] = parsed.Value(s_provider.Name),
            ["model"] = parsed.Value(s_model.Name),
        });
        using var answer = await client.PostAsync("logs/reprice", body, "application/json", cancellationToken);
        var root = answer.RootElement;
        if (parsed.Has(s_json.Name))
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(root, JsonOutput.Indented));
            return ExitCodes.Success;
        }

        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Re-priced the calls from {from:yyyy-MM-dd'T'HH:mm:ss'Z'} to {to:yyyy-MM-dd'T'HH:mm:ss'Z'}: ")
            .Append(CultureInfo.InvariantCulture, $"{Count(root, "examined")} examined, {Count(root, "changed")} changed, ")
            .Append(CultureInfo.InvariantCulture, $"{Count(root, "stillUnpriced")} still unpriced, {Count(root, "skipped")} skipped (usage unknown or not billed).");
        await context.Stdout.WriteLineAsync(text.ToString());
        if (Delta(root) is { } delta)
        {
            await context.Stdout.WriteLineAsync($"Change in total cost: {(delta > 0m ? "+" : "")}{Usd.Exact(delta)} USD");
        }

        return ExitCodes.Success;
    }

    private static string Count(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "?";

    private static decimal? Delta(JsonElement root)
    {
        if (!root.TryGetProperty("deltaUsd", out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
            JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            _ => null,
        };
    }
}
