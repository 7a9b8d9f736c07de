using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;
using Helix.Core.Pricing;
using Helix.Core.Pricing.Import;

namespace Helix.Cli.Commands;

/// <summary><c>helix prices import FILE</c>: plans (and with <c>--apply</c> applies) a LiteLLM price map import.</summary>
internal sealed class PricesImportCommand
{
    private readonly Option<bool> _apply = CliOptions.Flag("--apply", "Apply the plan: the changed and added prices become overrides. Without it nothing changes.");
    private readonly Option<bool> _offline = CliOptions.Flag("--offline", "Plan locally against the built-in price book, without a gateway.");
    private readonly Option<DateTimeOffset?> _effectiveFrom = CliOptions.Instant("--effective-from", "When the imported prices take effect (default: now).");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "Print the plan as JSON.");

    private readonly Option<string?> _url = AdminApiClient.UrlOption();
    private readonly Option<string?> _adminKey = AdminApiClient.AdminKeyOption();

    private readonly Argument<string> _file = CliOptions.Argument<string>("FILE", "LiteLLM's price map (model_prices_and_context_window.json).");

    private IEnumerable<Option> Options => [_apply, _offline, _effectiveFrom, _url, _adminKey, _json];

    /// <summary>Creates <c>helix prices import</c>.</summary>
    public static Command Create(CliContext context) => new PricesImportCommand().Build(context);

    private HelixCommand Build(CliContext context)
    {
        var command = new HelixCommand("import", "Plan, or apply, an import of LiteLLM's price map (added and changed prices, field by field).")
        {
            Details = """
                Compares a LiteLLM price map (model_prices_and_context_window.json) with the prices in force and prints
                what an import would change, model by model: added models, and for each changed model every differing
                rate as before -> after. Rates are USD per 1M tokens, per audio minute or per 1M characters.
                The file is posted to the gateway (POST /admin/api/prices/import?format=litellm&apply=false|true);
                with --apply the changes become price overrides from --effective-from (default: now). Models the book
                no longer prices (retired) are listed and never revived.
                """,
            Examples = """
                helix prices import model_prices_and_context_window.json
                helix prices import model_prices_and_context_window.json --apply --url https://helix.example.com
                helix prices import model_prices_and_context_window.json --offline --json
                """,
        };
        command.Arguments.Add(_file);
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, context, cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CliContext context, CancellationToken cancellationToken)
    {
        var offline = parsed.GetValue(_offline);
        if (offline && parsed.GetValue(_apply))
        {
            throw new UsageException("--apply changes the gateway's prices; it cannot be combined with --offline.");
        }

        if (offline && (parsed.GetValue(_url) is not null || parsed.GetValue(_adminKey) is not null))
        {
            throw new UsageException("--offline plans without a gateway; drop --url and --admin-key, or drop --offline.");
        }

        var effectiveFrom = parsed.GetValue(_effectiveFrom);
        var path = parsed.GetValue(_file)!;
        var body = await InputFiles.ReadBytesAsync(path, "the price map", cancellationToken);

        string json;
        bool applied;
        if (offline)
        {
            json = PlanOffline(body, path, effectiveFrom ?? context.Time.GetUtcNow(), context.Time);
            applied = false;
        }
        else
        {
            var apply = parsed.GetValue(_apply);
            var query = new StringBuilder("prices/import?format=litellm&apply=").Append(apply ? "true" : "false");
            if (effectiveFrom is { } from)
            {
                query.Append("&effectiveFrom=").Append(Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture)));
            }

            var client = AdminApiClient.From(parsed, context);
            using var answer = await client.PostAsync(query.ToString(), body, "application/json", cancellationToken);
            json = JsonSerializer.Serialize(answer.RootElement, JsonOutput.Indented);
            applied = apply;
        }

        if (parsed.GetValue(_json))
        {
            await context.Stdout.WriteLineAsync(json);
            return ExitCodes.Success;
        }

        using var document = JsonDocument.Parse(json);
        PlanText.Write(document.RootElement, applied, context.Stdout);
        return ExitCodes.Success;
    }

    private static string PlanOffline(byte[] body, string path, DateTimeOffset effectiveFrom, TimeProvider time)
    {
        IReadOnlyList<PriceEntry> imported;
        try
        {
            imported = LiteLlmPriceMap.Parse(body, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        }
        catch (JsonException ex)
        {
            throw new CliFailure($"'{path}' is not a LiteLLM price map: {ex.Message}");
        }

        var plan = PriceImportPlanner.Plan(BuiltInPriceBook.Create(), imported, effectiveFrom);
        return PlanJson.Write(plan);
    }
}
