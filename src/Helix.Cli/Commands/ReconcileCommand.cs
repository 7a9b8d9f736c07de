using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary><c>helix reconcile</c>: compares a provider's billing export with the operation log through the gateway.</summary>
internal sealed class ReconcileCommand
{
    private const decimal DefaultTolerance = 0.01m;

    private readonly Option<string?> _provider = CliOptions.Text("--provider", "P", "The provider whose bill it is: openai, anthropic, gemini, deepgram.", required: true);
    private readonly Option<string?> _file = CliOptions.Text("--file", "EXPORT", "The billing export (JSON, or CSV by its .csv extension).", required: true);
    private readonly Option<decimal?> _tolerance = CliOptions.Decimal("--tolerance", "T", "The relative tolerance per bucket and in total (default 0.01, i.e. 1%).");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "Print the gateway's report as JSON.");

    private readonly Option<string?> _url = AdminApiClient.UrlOption();
    private readonly Option<string?> _adminKey = AdminApiClient.AdminKeyOption();

    private IEnumerable<Option> Options => [_provider, _file, _tolerance, _url, _adminKey, _json];

    /// <summary>Creates <c>helix reconcile</c>.</summary>
    public static Command Create(CliContext context) => new ReconcileCommand().Build(context);

    private HelixCommand Build(CliContext context)
    {
        var command = new HelixCommand("reconcile", "Compare a provider's billing export with the operation log, by day and model.")
        {
            Details = """
                Posts a provider's billing export to the gateway (POST /admin/api/reconciliations), which compares it with
                the operation log by UTC day and model, and prints each bucket (ours, theirs, difference, %), the totals
                and the models priced wrong. Exit code 0 when everything is within the tolerance, 1 when not.
                Exports: OpenAI Costs API JSON, Anthropic cost report JSON, Google Cloud Billing CSV, Deepgram requests JSON.
                """,
            Examples = """
                helix reconcile --provider openai --file costs-2026-11.json
                helix reconcile --provider gemini --file billing.csv --tolerance 0.005 --json
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
        var provider = parsed.GetValue(_provider)!.Trim().ToLowerInvariant();
        var tolerance = parsed.GetValue(_tolerance) ?? DefaultTolerance;
        if (tolerance < 0m || tolerance > 1m)
        {
            throw new UsageException($"--tolerance is a fraction from 0 to 1 (0.01 is 1%), not {tolerance.ToString(CultureInfo.InvariantCulture)}.");
        }

        var client = AdminApiClient.From(parsed, context);
        var path = parsed.GetValue(_file)!;
        var body = await InputFiles.ReadBytesAsync(path, "the billing export", cancellationToken);
        var query = $"reconciliations?provider={Uri.EscapeDataString(provider)}&tolerance={tolerance.ToString(CultureInfo.InvariantCulture)}";
        using var report = await client.PostAsync(query, body, ContentType(path, body), cancellationToken);
        var root = report.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("passed", out var passedElement)
            || passedElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new CliFailure("The gateway's answer is not a reconciliation report (it has no 'passed').");
        }

        var passed = passedElement.GetBoolean();
        if (parsed.GetValue(_json))
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(root, JsonOutput.Indented));
        }
        else
        {
            WriteReport(root, provider, tolerance, passed, context.Stdout);
        }

        return passed ? ExitCodes.Success : ExitCodes.ReconciliationFailed;
    }

    internal static string ContentType(string path, byte[] body)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return "text/csv";
        }

        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return "application/json";
        }

        // No telling extension: JSON starts with an object or array, anything else is read as CSV.
        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b is (byte)'{' or (byte)'[' ? "application/json" : "text/csv";
        }

        return "application/json";
    }

    private static void WriteReport(JsonElement root, string provider, decimal tolerance, bool passed, TextWriter output)
    {
        var period = Text(root, "from") is { Length: > 0 } from
            ? $", {from} to {Text(root, "to")}"
            : "";
        var percent = ((tolerance * 100m) / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        output.WriteLine($"Reconciliation of {Text(root, "provider") ?? provider}{period} (tolerance {percent}%): {(passed ? "PASSED" : "FAILED")}");
        output.WriteLine();

        var table = new TextTable("day", "model", ">ours USD", ">theirs USD", ">difference USD", ">%", "");
        var explanations = new List<string>();
        if (root.TryGetProperty("buckets", out var buckets) && buckets.ValueKind == JsonValueKind.Array)
        {
            foreach (var bucket in buckets.EnumerateArray())
            {
                var day = Text(bucket, "day") ?? "";
                var model = Text(bucket, "model") ?? "";
                table.Add(day, model, Amount(bucket, "oursUsd"), Amount(bucket, "theirsUsd"), Amount(bucket, "differenceUsd"),
                    Percent(bucket, "differencePercent"), Status(bucket));
                if (Text(bucket, "explanation") is { Length: > 0 } explanation)
                {
                    explanations.Add($"{day} {model}: {explanation}");
                }
            }
        }

        var totals = root.TryGetProperty("totals", out var t) && t.ValueKind == JsonValueKind.Object ? t : (JsonElement?)null;
        table.Add("total", "",
            totals is { } a ? Amount(a, "oursUsd") : Amount(root, "totalOursUsd"),
            totals is { } b ? Amount(b, "theirsUsd") : Amount(root, "totalTheirsUsd"),
            totals is { } c ? Amount(c, "differenceUsd") : Amount(root, "totalDifferenceUsd"),
            totals is { } d ? Percent(d, "differencePercent") : Percent(root, "totalDifferencePercent"),
            totals is { } e ? Status(e) : "");
        table.WriteTo(output);

        var mispriced = Strings(root, "mispricedModels");
        output.WriteLine();
        output.WriteLine(mispriced.Count == 0 ? "Mispriced models: none" : $"Mispriced models: {string.Join(", ", mispriced)}");

        if (root.TryGetProperty("requestMismatches", out var mismatches) && mismatches.ValueKind == JsonValueKind.Array
            && mismatches.GetArrayLength() > 0)
        {
            output.WriteLine();
            output.WriteLine("Requests billed differently:");
            var requests = new TextTable("request", "day", "model", ">ours USD", ">theirs USD", ">difference USD");
            foreach (var mismatch in mismatches.EnumerateArray())
            {
                requests.Add(Text(mismatch, "requestId") ?? "", Text(mismatch, "day") ?? "", Text(mismatch, "model") ?? "",
                    Amount(mismatch, "oursUsd"), Amount(mismatch, "theirsUsd"), Amount(mismatch, "differenceUsd"));
            }

            requests.WriteTo(output, "  ");
        }

        var notes = Strings(root, "notes");
        if (explanations.Count + notes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Notes:");
            foreach (var line in explanations.Concat(notes))
            {
                output.WriteLine($"  - {line}");
            }
        }
    }

    private static string Status(JsonElement bucket)
    {
        var presence = Text(bucket, "presence");
        if (string.Equals(presence, "onlyInLog", StringComparison.OrdinalIgnoreCase))
        {
            return "only in log";
        }

        if (string.Equals(presence, "onlyInBill", StringComparison.OrdinalIgnoreCase))
        {
            return "only in bill";
        }

        return bucket.TryGetProperty("withinTolerance", out var within) && within.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? within.GetBoolean() ? "ok" : "OUT"
            : "";
    }

    private static string Amount(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && Number(value) is { } amount ? Usd.Exact(amount) : "-";

    private static string Percent(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && Number(value) is { } percent ? Usd.Plain(percent) + "%" : "-";

    private static decimal? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}
