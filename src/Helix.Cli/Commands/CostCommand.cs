using System.CommandLine;
using System.Text;
using System.Text.Json;
using Helix.Cli.CommandLine;
using Helix.Cli.Metering;
using Helix.Cli.Output;
using Helix.Core.Metering;
using Helix.Core.Pricing;

namespace Helix.Cli.Commands;

/// <summary><c>helix cost</c>: meters a saved provider response with the gateway's own parser and prices it with the built-in book.</summary>
internal sealed class CostCommand
{
    private readonly Option<string?> _provider = CliOptions.Text("--provider", "P", "openai, deepseek, gemini, anthropic, deepgram or edge-tts.", required: true);
    private readonly Option<string?> _model = CliOptions.Text("--model", "M", "The model the request asked for (the response's own model is priced when the book knows it).", required: true);
    private readonly Option<string?> _response = CliOptions.Text("--response", "FILE", "The raw response body as the provider sent it (JSON, or the SSE transcript with --stream).");
    private readonly Option<bool> _stream = CliOptions.Flag("--stream", "The response is a stream: an SSE transcript (Deepgram: its streaming messages).");
    private readonly Option<DateTimeOffset?> _at = CliOptions.Instant("--at", "When the call was made (default: now); prices and off-peak windows are dated.");
    private readonly Option<bool> _multichannel = CliOptions.Flag("--multichannel", "Deepgram: the request set multichannel=true (billed per channel; a response whose results hold several channels is billed per channel anyway).");
    private readonly Option<string?> _inputText = CliOptions.Text("--input-text", "FILE|TEXT", "Text-to-speech (openai tts, edge-tts): the request's input, as a file or the text itself.");
    private readonly Option<string?> _serviceTier = CliOptions.Text("--service-tier", "TIER", "The tier the request asked for when the response does not say (batch, flex, priority).");
    private readonly Option<bool> _json = CliOptions.Flag("--json", "Print the result as JSON.");

    private IEnumerable<Option> Options => [_provider, _model, _response, _stream, _at, _multichannel, _inputText, _serviceTier, _json];

    /// <summary>Creates <c>helix cost</c>.</summary>
    public static Command Create(CliContext context) => new CostCommand().Build(context);

    private HelixCommand Build(CliContext context)
    {
        var command = new HelixCommand("cost", "Price a saved provider response with the gateway's own metering and the built-in prices.")
        {
            Details = """
                Reads a provider's raw response, meters it with the same parser the gateway's adapter uses, prices it
                with the built-in price book at --at, and prints the meters, the cost of each, the total (never rounded
                to a cent), the price's source and date, and the status.
                OpenAI-compatible bodies are read as a chat completion, embeddings or a transcription by their shape;
                speech (tts) responses are audio, so --input-text gives the characters billed instead.
                A file's final line break is not counted as a character of --input-text.
                Exit codes: 0 priced, 2 bad arguments or file, 3 usage unknown (a cut stream), 4 no price for the model.
                """,
            Examples = """
                helix cost --provider openai --model gpt-4o --response response.json
                helix cost --provider anthropic --model claude-haiku-4-5 --response stream.sse --stream --json
                helix cost --provider deepseek --model deepseek-reasoner --response r.json --at 2025-03-01T17:00:00Z
                helix cost --provider openai --model tts-1 --input-text speech.txt
                """,
        };
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, context, cancellationToken));
        return command;
    }

    private static readonly HashSet<string> s_providers = new(StringComparer.Ordinal)
    {
        "openai", "deepseek", "gemini", "anthropic", "deepgram", "edge-tts",
    };

    private async Task<int> RunAsync(ParseResult parsed, CliContext context, CancellationToken cancellationToken)
    {
        var provider = parsed.GetValue(_provider)!.Trim().ToLowerInvariant();
        if (!s_providers.Contains(provider))
        {
            throw new UsageException($"Unknown provider '{provider}'; use one of {string.Join(", ", s_providers)}.");
        }

        var model = parsed.GetValue(_model)!.Trim();
        var at = parsed.GetValue(_at) ?? context.Time.GetUtcNow();
        var request = await ReadRequestAsync(parsed, provider, cancellationToken);

        MeteredResponse metered;
        try
        {
            metered = ResponseMeter.Meter(request);
        }
        catch (JsonException ex)
        {
            throw new CliFailure($"'{parsed.GetValue(_response)}' is not a {provider} response: {ex.Message}");
        }

        var serviceTier = parsed.GetValue(_serviceTier);
        var outcome = Price(provider, model, metered.Usage, at, serviceTier);
        if (parsed.GetValue(_json))
        {
            await context.Stdout.WriteLineAsync(Json(provider, model, at, serviceTier, metered, outcome));
        }
        else
        {
            WriteText(context.Stdout, provider, model, at, metered, outcome);
        }

        if (outcome.Message is { } message)
        {
            await context.Stderr.WriteLineAsync(message);
        }

        return outcome.ExitCode;
    }

    private async Task<ProviderResponse> ReadRequestAsync(ParseResult parsed, string provider, CancellationToken cancellationToken)
    {
        var stream = parsed.GetValue(_stream);
        var multichannel = parsed.GetValue(_multichannel);
        var responsePath = parsed.GetValue(_response);
        var inputTextArgument = parsed.GetValue(_inputText);
        var speech = inputTextArgument is not null;

        if (multichannel && provider != "deepgram")
        {
            throw new UsageException("--multichannel applies to deepgram only.");
        }

        if (speech && provider is not ("openai" or "deepseek" or "edge-tts"))
        {
            throw new UsageException("--input-text is for text-to-speech: --provider openai (tts models) or edge-tts.");
        }

        if (provider == "edge-tts" && !speech)
        {
            throw new UsageException("edge-tts bills the characters of its input: give --input-text FILE|TEXT.");
        }

        if (speech && (stream || responsePath is not null))
        {
            throw new UsageException("A speech response is audio without usage: give --input-text alone, without --response or --stream.");
        }

        if (!speech && responsePath is null)
        {
            throw new UsageException("Missing --response FILE (the raw response body as the provider sent it).");
        }

        var body = responsePath is null ? null : WithoutByteOrderMark(await InputFiles.ReadBytesAsync(responsePath, "the response", cancellationToken));
        var inputText = inputTextArgument is null ? null : await InputTextAsync(inputTextArgument, cancellationToken);
        return new ProviderResponse(provider, body, stream, multichannel, inputText);
    }

    // A path that names a file is read (without its final line break, which editors add); anything else is the text.
    private static async Task<string> InputTextAsync(string argument, CancellationToken cancellationToken)
    {
        if (!File.Exists(argument))
        {
            return argument;
        }

        var text = await InputFiles.ReadTextAsync(argument, "the input text", cancellationToken);
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
            : text.EndsWith('\n') ? text[..^1]
            : text;
    }

    private static byte[] WithoutByteOrderMark(byte[] body) =>
        body.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? body[Encoding.UTF8.Preamble.Length..] : body;

    private static CostOutcome Price(string provider, string model, UsageReport usage, DateTimeOffset at, string? serviceTier)
    {
        var reported = usage.ReportedModel ?? model;
        if (!usage.IsKnown)
        {
            return new CostOutcome("usage_unknown", null, ExitCodes.UsageUnknown,
                $"Usage unknown: the response for {provider}/{reported} carries no usage (a stream cut before its usage, "
                + "or a stream requested without usage), so its cost cannot be priced. The call was still billed.");
        }

        var engine = new CostEngine(BuiltInPriceBook.Create());
        var cost = engine.Price(provider, model, usage, at, serviceTier);
        return cost.Status switch
        {
            CostStatus.Priced => new CostOutcome("priced", cost, ExitCodes.Success, null),
            CostStatus.Unpriced => new CostOutcome("unpriced", cost, ExitCodes.Unpriced,
                $"Unpriced: {cost.Reason ?? $"no price for {provider}/{reported}"}. The cost is unknown, not zero."),
            _ => new CostOutcome(cost.Status.ToString().ToLowerInvariant(), cost, ExitCodes.Success, null),
        };
    }

    private static string Json(string provider, string model, DateTimeOffset at, string? serviceTier, MeteredResponse metered, CostOutcome outcome)
    {
        var usage = metered.Usage;
        var cost = outcome.Cost;
        var priced = outcome.Status == "priced" && cost?.TotalUsd is not null;
        var price = cost?.Price;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("provider", provider);
            writer.WriteString("model", model);
            WriteStringOrNull(writer, "reportedModel", usage.ReportedModel);
            writer.WriteString("responseKind", metered.Kind);
            writer.WriteString("at", at);
            WriteStringOrNull(writer, "serviceTier", usage.ServiceTier ?? serviceTier);
            writer.WriteBoolean("usageKnown", usage.IsKnown);
            writer.WriteString("status", outcome.Status);
            writer.WriteStartObject("meters");
            foreach (var (name, quantity) in MeterNames.NonZero(usage.Meters))
            {
                writer.WriteNumber(name, quantity);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("lines");
            if (priced)
            {
                foreach (var (name, amount) in cost!.Value.Breakdown.Lines())
                {
                    writer.WriteString(name, Usd.Exact(amount));
                }
            }

            writer.WriteEndObject();
            if (priced && cost!.Value.Breakdown.Multiplier is not (0m or 1m) and var multiplier)
            {
                writer.WriteString("multiplier", Usd.Plain(multiplier));
            }

            WriteStringOrNull(writer, "totalUsd", priced ? Usd.Exact(cost!.Value.TotalUsd!.Value) : null);
            WriteStringOrNull(writer, "priceSource", price?.Source);
            WriteStringOrNull(writer, "priceSourceDate", price?.SourceDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            WriteStringOrNull(writer, "reason", outcome.Message ?? cost?.Reason);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteText(TextWriter output, string provider, string model, DateTimeOffset at, MeteredResponse metered, CostOutcome outcome)
    {
        var usage = metered.Usage;
        var reported = usage.ReportedModel is { } r && !string.Equals(r, model, StringComparison.OrdinalIgnoreCase) ? $" (response: {r})" : "";
        output.WriteLine($"{provider}/{model}{reported}, {metered.Kind}, at {at:yyyy-MM-dd'T'HH:mm:ss'Z'}");
        if (usage.ServiceTier is { } tier)
        {
            output.WriteLine($"service tier: {tier}");
        }

        output.WriteLine();
        output.WriteLine("Meters:");
        var meters = new TextTable("meter", ">quantity");
        foreach (var (name, quantity) in MeterNames.NonZero(usage.Meters))
        {
            meters.Add(name, Usd.Plain(quantity));
        }

        if (meters.Count == 0)
        {
            output.WriteLine(usage.IsKnown ? "  (nothing metered)" : "  (no usage in the response)");
        }
        else
        {
            meters.WriteTo(output, "  ", withHeader: false);
        }

        if (outcome.Status == "priced" && outcome.Cost is { TotalUsd: { } total } cost)
        {
            output.WriteLine();
            output.WriteLine("Cost (USD):");
            var lines = new TextTable("line", ">usd");
            foreach (var (name, amount) in cost.Breakdown.Lines())
            {
                lines.Add(name, Usd.Exact(amount));
            }

            if (cost.Breakdown.Multiplier is not (0m or 1m) and var multiplier)
            {
                lines.Add("× multiplier", Usd.Plain(multiplier));
            }

            lines.Add("total", Usd.Exact(total));
            lines.WriteTo(output, "  ", withHeader: false);
            output.WriteLine();
            output.WriteLine($"Price: {cost.Price!.Source} ({cost.Price.SourceDate:yyyy-MM-dd})");
        }

        output.WriteLine($"Status: {outcome.Status}");
    }

    private sealed record CostOutcome(string Status, CostResult? Cost, int ExitCode, string? Message);
}
