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
internal static class PricesImportCommand
{
    public const string Name = "prices import";

    private static readonly OptionSpec s_apply = new("apply", null, "Apply the plan: the changed and added prices become overrides. Without it nothing changes.");
    private static readonly OptionSpec s_offline = new("offline", null, "Plan locally against the built-in price book, without a gateway.");
    private static readonly OptionSpec s_effectiveFrom = new("effective-from", "ISO-8601", "When the imported prices take effect (default: now).");
    private static readonly OptionSpec s_json = new("json", null, "Print the plan as JSON.");

    public static IReadOnlyList<OptionSpec> Options { get; } =
        [s_apply, s_offline, s_effectiveFrom, AdminApiClient.UrlOption, AdminApiClient.AdminKeyOption, s_json];

    public static string Help => CommandHelp.Format(
        "helix prices import FILE [--apply] [--url URL] [--admin-key KEY] [--json]\n       helix prices import FILE --offline [--effective-from ISO-8601] [--json]",
        """
        Compares a LiteLLM price map (model_prices_and_context_window.json) with the prices in force and prints
        what an import would change, model by model: added models, and for each changed model every differing
        rate as before -> after. Rates are USD per 1M tokens, per audio minute or per 1M characters.
        The file is posted to the gateway (POST /admin/api/prices/import?format=litellm&apply=false|true);
        with --apply the changes become price overrides from --effective-from (default: now). Models the book
        no longer prices (retired) are listed and never revived.
        """,
        Options,
        """
        helix prices import model_prices_and_context_window.json
        helix prices import model_prices_and_context_window.json --apply --url https://helix.example.com
        helix prices import model_prices_and_context_window.json --offline --json
        """);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = ArgumentParser.Parse(args, Options, ["FILE"], requiredPositionals: 1);
        if (parsed.HelpRequested)
        {
            await context.Stdout.WriteAsync(Help);
            return ExitCodes.Success;
        }

        var offline = parsed.Has(s_offline.Name);
        if (offline && parsed.Has(s_apply.Name))
        {
            throw new UsageException("--apply changes the gateway's prices; it cannot be combined with --offline.");
        }

        if (offline && (parsed.Has(AdminApiClient.UrlOption.Name) || parsed.Has(AdminApiClient.AdminKeyOption.Name)))
        {
            throw new UsageException("--offline plans without a gateway; drop --url and --admin-key, or drop --offline.");
        }

        var effectiveFrom = parsed.Instant(s_effectiveFrom.Name);
        var path = parsed.Positionals[0];
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
            var apply = parsed.Has(s_apply.Name);
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

        if (parsed.Has(s_json.Name))
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
