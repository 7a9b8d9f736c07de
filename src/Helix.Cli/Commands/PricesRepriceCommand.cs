using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix prices reprice</c>: re-prices past calls with the prices now in force, through the gateway.</summary>
internal sealed class PricesRepriceCommand
{
    private readonly Option<DateTimeOffset?> _from = CliOptions.Instant("--from", "The first instant of the calls to re-price (inclusive).", required: true);
    private readonly Option<DateTimeOffset?> _to = CliOptions.Instant("--to", "The end of the range (exclusive).", required: true);
    private readonly Option<string?> _provider = CliOptions.Text("--provider", "P", "Only calls to this provider.");
    private readonly Option<string?> _model = CliOptions.Text("--model", "M", "Only calls to this catalog model.");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "Print the gateway's answer as JSON.");

    private readonly Option<string?> _url = AdminApiClient.UrlOption();
    private readonly Option<string?> _adminKey = AdminApiClient.AdminKeyOption();

    private IEnumerable<Option> Options => [_from, _to, _provider, _model, _url, _adminKey, _json];

    /// <summary>Creates <c>helix prices reprice</c>.</summary>
    public static Command Create(CliContext context) => new PricesRepriceCommand().Build(context);

    private HelixCommand Build(CliContext context)
    {
        var command = new HelixCommand("reprice", "Re-price logged calls of a period with the prices now in force (after a price fix).")
        {
            Details = """
                After a price fix, prices the logged calls of a period again with the prices now in force, each at its own
                time (POST /admin/api/logs/reprice). Calls whose cost changes get a cost adjustment; the log rows themselves
                are never changed, and a price that is still missing never erases a recorded cost.
                """,
            Examples = """
                helix prices reprice --from 2026-11-01 --to 2026-12-01
                helix prices reprice --from 2026-11-01 --to 2026-11-02 --provider openai --json
                """,
        };
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, context, cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CliContext context, CancellationToken cancellationToken)
    {
        var from = parsed.GetValue(_from)!.Value;
        var to = parsed.GetValue(_to)!.Value;
        if (to <= from)
        {
            throw new UsageException("--to must be after --from.");
        }

        var client = AdminApiClient.From(parsed, context);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["from"] = from,
            ["to"] = to,
            ["provider"] = parsed.GetValue(_provider),
            ["model"] = parsed.GetValue(_model),
        });
        using var answer = await client.PostAsync("logs/reprice", body, "application/json", cancellationToken);
        var root = answer.RootElement;
        if (parsed.GetValue(_json))
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
