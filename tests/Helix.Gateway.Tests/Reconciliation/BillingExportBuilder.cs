using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Helix.Core.Pricing;
using Helix.Core.Reconciliation;
using Helix.Simulator;

namespace Helix.Gateway.Tests.Reconciliation;

/// <summary>Writes the bill each provider would send for what the simulator billed, in that provider's export format.</summary>
/// <remarks>
/// <para>
/// The simulator's ledger holds the usage the provider counted; the bill prices it with the provider's true prices,
/// which here are the built-in price book. The pricing is done independently of Helix's <c>CostCalculator</c>, the way
/// a provider bills: each token class of each call at its base rate, summed per UTC day (per hour for Google) and token
/// class, unrounded. Prices the builder does not model (time-of-day windows, long-context tiers, service tiers) make it
/// throw rather than bill something different.
/// </para>
/// <para>
/// Formats follow <c>shared/reference/invoices.md</c>: OpenAI Costs API pages of daily buckets with
/// <c>"model, token class"</c> line items; Anthropic's cost report with amounts in cents as decimal strings per
/// <c>token_type</c>; Google Cloud Billing CSV with hourly rows per SKU and a credits column; Deepgram's request list,
/// priced per request; and, for DeepSeek, which has no export API, the console's daily usage per token class as
/// billed lines. Stateless.
/// </para>
/// </remarks>
internal static class BillingExportBuilder
{
    private const decimal Million = 1_000_000m;
    private const string OpenAIProject = "proj_helix_production";
    private const string DeepgramProject = "7f0c5a8e-2b6d-4c1a-9e3f-5d8b2a7c4e10";
    private const string GoogleProject = "helix-production";
    private const string GeminiServiceId = "AEFD-7695-64FA";

    /// <summary>OpenAI Costs API pages (<c>GET /v1/organization/costs</c>, grouped by line item and project), a page per week, as a JSON array.</summary>
    /// <param name="ledger">What the simulator billed; entries of other providers are ignored.</param>
    /// <param name="prices">The provider's true prices.</param>
    /// <param name="from">The first UTC day of the export; every day to <paramref name="to"/> has a bucket, empty or not.</param>
    /// <param name="to">The last UTC day (inclusive).</param>
    public static string OpenAICosts(IEnumerable<SimulatorLedgerEntry> ledger, PriceBook prices, DateOnly from, DateOnly to)
    {
        var amounts = Sum(TokenCharges(ledger, SimulatorProviders.OpenAI, prices), c => (Day(c.At), c.Model, OpenAILineItem(c)));
        var days = Days(from, to);
        return Json(json =>
        {
            json.WriteStartArray();
            foreach (var week in days.Chunk(7))
            {
                json.WriteStartObject();
                json.WriteString("object", "page");
                json.WriteStartArray("data");
                foreach (var day in week)
                {
                    var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    json.WriteStartObject();
                    json.WriteString("object", "bucket");
                    json.WriteNumber("start_time", start.ToUnixTimeSeconds());
                    json.WriteNumber("end_time", start.AddDays(1).ToUnixTimeSeconds());
                    json.WriteStartArray("results");
                    foreach (var ((_, model, lineItem), usd) in amounts.Where(a => a.Key.Day == day))
                    {
                        json.WriteStartObject();
                        json.WriteString("object", "organization.costs.result");
                        json.WriteStartObject("amount");
                        json.WriteNumber("value", usd);
                        json.WriteString("currency", "usd");
                        json.WriteEndObject();
                        json.WriteString("line_item", $"{model}, {lineItem}");
                        json.WriteString("project_id", OpenAIProject);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                var last = week[^1] == days[^1];
                json.WriteBoolean("has_more", !last);
                if (last)
                {
                    json.WriteNull("next_page");
                }
                else
                {
                    json.WriteString("next_page", "page_" + week[^1].ToString("yyyyMMdd", CultureInfo.InvariantCulture));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

    /// <summary>Anthropic's cost report (<c>GET /v1/organizations/cost_report</c>, 1-day buckets): amounts in cents as decimal strings.</summary>
    public static string AnthropicCostReport(IEnumerable<SimulatorLedgerEntry> ledger, PriceBook prices, DateOnly from, DateOnly to)
    {
        var amounts = Sum(TokenCharges(ledger, SimulatorProviders.Anthropic, prices), c => (Day(c.At), c.Model, AnthropicTokenType(c)));
        return Json(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var day in Days(from, to))
            {
                var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                json.WriteStartObject();
                json.WriteString("starting_at", start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteString("ending_at", start.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                json.WriteStartArray("results");
                foreach (var ((_, model, tokenType), usd) in amounts.Where(a => a.Key.Day == day))
                {
                    json.WriteStartObject();
                    json.WriteString("currency", "USD");
                    json.WriteString("amount", (usd * 100m).ToString(CultureInfo.InvariantCulture));
                    json.WriteString("cost_type", "tokens");
                    json.WriteString("description", $"{model} usage: {tokenType}");
                    json.WriteString("model", model);
                    json.WriteString("token_type", tokenType);
                    json.WriteString("context_window", "0-200k");
                    json.WriteString("service_tier", "standard");
                    json.WriteNull("workspace_id");
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("has_more", false);
            json.WriteNull("next_page");
            json.WriteEndObject();
        });
    }

    /// <summary>
    /// A Google Cloud Billing export as CSV: an hourly row per Gemini SKU with its token count, and a daily Cloud
    /// Storage row whose free-tier credit nets it to zero (a service the reconciliation must skip).
    /// </summary>
    public static string GoogleBillingCsv(IEnumerable<SimulatorLedgerEntry> ledger, PriceBook prices, DateOnly from, DateOnly to)
    {
        var rows = TokenCharges(ledger, SimulatorProviders.Gemini, prices)
            .GroupBy(c => (Hour: new DateTimeOffset(c.At.UtcDateTime.Date.AddHours(c.At.UtcDateTime.Hour), TimeSpan.Zero), c.Model, Sku: GeminiSku(c)))
            .OrderBy(g => g.Key.Hour).ThenBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Sku, StringComparer.Ordinal);
        var csv = new StringBuilder();
        csv.Append("billing_account_id,invoice.month,cost_type,service.id,service.description,sku.id,sku.description,")
            .Append("usage_start_time,usage_end_time,project.id,cost,currency,usage.amount,usage.unit,credits\n");
        foreach (var row in rows)
        {
            var (hour, _, sku) = row.Key;
            Row(csv, hour, TimeSpan.FromHours(1), GeminiServiceId, "Gemini API", sku, row.Sum(c => c.Usd),
                row.Sum(c => c.Tokens).ToString(CultureInfo.InvariantCulture), "tokens", "[]");
        }

        foreach (var day in Days(from, to))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            Row(csv, start, TimeSpan.FromDays(1), "95FF-2EF5-5EA1", "Cloud Storage", "Standard Storage US Multi-region", 0.0213m,
                "0.82", "gibibyte month", """[{"name":"FreeTrial:2b7c","amount":-0.0213,"full_name":"Free tier","id":"FreeTrial:2b7c","type":"FREE_TIER"}]""");
        }

        return csv.ToString();
    }

    /// <summary>Deepgram's request list (<c>GET /v1/projects/{id}/requests</c>), pages of 25, each request priced in USD.</summary>
    /// <remarks>A request's <c>usd</c> is a JSON float: it is written rounded to 6 decimals, as a float keeps it.</remarks>
    public static string DeepgramRequests(IEnumerable<SimulatorLedgerEntry> ledger, PriceBook prices)
    {
        var requests = ledger.Where(e => e.Provider == SimulatorProviders.Deepgram).OrderBy(e => e.At).ToArray();
        return Json(json =>
        {
            json.WriteStartArray();
            var page = 0;
            foreach (var chunk in requests.Chunk(25))
            {
                json.WriteStartObject();
                json.WriteNumber("page", page++);
                json.WriteNumber("limit", 25);
                json.WriteStartArray("requests");
                foreach (var e in chunk)
                {
                    var rates = TrueRates(e, prices);
                    var perMinute = rates.AudioPerMinute ?? throw new InvalidOperationException($"deepgram/{e.Model} has no per-minute price.");
                    var seconds = (decimal)e.AudioSeconds;
                    var created = e.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                    json.WriteStartObject();
                    json.WriteString("request_id", e.RequestId);
                    json.WriteString("project_uuid", DeepgramProject);
                    json.WriteString("created", created);
                    json.WriteString("path", $"/v1/listen?model={Uri.EscapeDataString(e.Model)}&smart_format=true");
                    json.WriteString("api_key_id", "b2f6e9d4-0c3a-4f7e-8d21-6a5b9c0e1f32");
                    json.WriteStartObject("response");
                    json.WriteStartObject("details");
                    json.WriteNumber("usd", Math.Round(seconds * perMinute / 60m, 6, MidpointRounding.AwayFromZero));
                    json.WriteNumber("duration", Math.Round(seconds / 3600m, 6, MidpointRounding.AwayFromZero));
                    json.WriteNumber("total_audio", seconds);
                    json.WriteNumber("channels", 1);
                    json.WriteNumber("streams", 1);
                    json.WriteStartArray("models");
                    json.WriteStringValue(e.Model);
                    json.WriteEndArray();
                    json.WriteString("method", "sync");
                    json.WriteEndObject();
                    json.WriteNumber("code", 200);
                    json.WriteString("completed", created);
                    json.WriteEndObject();
                    json.WriteNull("callback");
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

    /// <summary>
    /// DeepSeek's console usage (it has no export API): per UTC day and model, cache-hit input, cache-miss input and
    /// output tokens with their cost, as billed lines to reconcile with <see cref="Reconciler"/> directly.
    /// </summary>
    public static IReadOnlyList<BilledLine> DeepSeekConsoleUsage(IEnumerable<SimulatorLedgerEntry> ledger, PriceBook prices) =>
        [.. TokenCharges(ledger, SimulatorProviders.DeepSeek, prices)
            .GroupBy(c => (Day: Day(c.At), c.Model, Class: c.TokenClass == TokenClasses.Reasoning ? TokenClasses.Output : c.TokenClass))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Model, StringComparer.Ordinal).ThenBy(g => g.Key.Class, StringComparer.Ordinal)
            .Select(g => new BilledLine(SimulatorProviders.DeepSeek, g.Key.Day, g.Key.Model, g.Key.Class, Project: null,
                g.Sum(c => c.Usd), g.Sum(c => c.Tokens), RequestId: null))];

    /// <summary>Each token class of each billed call of <paramref name="provider"/>, priced at the true base rate.</summary>
    private static IEnumerable<Charge> TokenCharges(IEnumerable<SimulatorLedgerEntry> ledger, string provider, PriceBook prices)
    {
        foreach (var e in ledger)
        {
            if (e.Provider != provider)
            {
                continue;
            }

            var rates = TrueRates(e, prices);
            var uncached = e.PromptTokens - e.CachedTokens - e.CacheWrite5mTokens - e.CacheWrite1hTokens;
            (string Class, long Tokens, decimal? Rate)[] classes =
            [
                (TokenClasses.Input, uncached, rates.Input),
                (TokenClasses.CachedInput, e.CachedTokens, rates.CacheRead),
                (TokenClasses.CacheWrite5m, e.CacheWrite5mTokens, rates.CacheWrite5m),
                (TokenClasses.CacheWrite1h, e.CacheWrite1hTokens, rates.CacheWrite1h),
                (TokenClasses.Output, e.CompletionTokens - e.ReasoningTokens, rates.Output),
                (TokenClasses.Reasoning, e.ReasoningTokens, rates.Reasoning ?? rates.Output),
            ];
            foreach (var (tokenClass, tokens, rate) in classes)
            {
                if (tokens == 0)
                {
                    continue;
                }

                var perMillion = rate ?? throw new InvalidOperationException($"{provider}/{e.Model} has no {tokenClass} price, yet the provider billed {tokens} such tokens.");
                yield return new Charge(e.At, e.Model, tokenClass, tokens, tokens * perMillion / Million);
            }
        }
    }

    /// <summary>The base rates in force for a billed call; anything the builder does not model is refused.</summary>
    private static PriceRates TrueRates(SimulatorLedgerEntry e, PriceBook prices)
    {
        if (!prices.TryFind(e.Provider, e.Model, e.At, out var price))
        {
            throw new InvalidOperationException($"No true price for {e.Provider}/{e.Model} at {e.At:O}.");
        }

        if (price.TimeWindows.Any(w => w.Contains(e.At)) || (price.LongContext is { } tier && e.PromptTokens > tier.ThresholdPromptTokens))
        {
            throw new InvalidOperationException($"{e.Provider}/{e.Model} at {e.At:O} falls under a time window or long-context tier, which the export builder does not bill.");
        }

        return price.Rates;
    }

    private static string OpenAILineItem(Charge c) => c.TokenClass switch
    {
        TokenClasses.Input => "input",
        TokenClasses.CachedInput => "cached input",

        // OpenAI bills reasoning tokens as output tokens, on one line item.
        TokenClasses.Output or TokenClasses.Reasoning => "output",
        _ => throw new InvalidOperationException($"OpenAI has no line item for {c.TokenClass}."),
    };

    private static string AnthropicTokenType(Charge c) => c.TokenClass switch
    {
        TokenClasses.Input => "uncached_input_tokens",
        TokenClasses.CachedInput => "cache_read_input_tokens",
        TokenClasses.CacheWrite5m => "cache_creation.ephemeral_5m_input_tokens",
        TokenClasses.CacheWrite1h => "cache_creation.ephemeral_1h_input_tokens",

        // Thinking is billed as output tokens.
        TokenClasses.Output or TokenClasses.Reasoning => "output_tokens",
        _ => throw new InvalidOperationException($"Anthropic has no token type for {c.TokenClass}."),
    };

    private static string GeminiSku(Charge c) => DisplayName(c.Model) + c.TokenClass switch
    {
        TokenClasses.Input => " Input Tokens",
        TokenClasses.CachedInput => " Cached Input Tokens",
        TokenClasses.Output => " Output Tokens",
        TokenClasses.Reasoning => " Thinking Output Tokens",
        _ => throw new InvalidOperationException($"No Gemini SKU for {c.TokenClass}."),
    };

    /// <summary>A model's name as a bill prints it: <c>gemini-2.5-flash-lite</c> is <c>Gemini 2.5 Flash Lite</c>.</summary>
    private static string DisplayName(string model) =>
        string.Join(' ', BilledModelNames.Normalize(model).Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static void Row(StringBuilder csv, DateTimeOffset start, TimeSpan length, string serviceId, string service, string sku, decimal cost,
        string usageAmount, string usageUnit, string credits)
    {
        string[] fields =
        [
            "01A2B3-C4D5E6-F7A8B9",
            start.ToString("yyyyMM", CultureInfo.InvariantCulture),
            "regular",
            serviceId,
            service,
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sku)))[..12],
            sku,
            start.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            start.Add(length).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            GoogleProject,
            cost.ToString(CultureInfo.InvariantCulture),
            "USD",
            usageAmount,
            usageUnit,
            credits,
        ];
        csv.AppendJoin(',', fields.Select(Quote)).Append('\n');
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The unrounded sum of the charges of each line (day, model, the format's name of the charge), in that order.</summary>
    private static KeyValuePair<(DateOnly Day, string Model, string Line), decimal>[] Sum(
        IEnumerable<Charge> charges, Func<Charge, (DateOnly Day, string Model, string Line)> key)
    {
        var sums = new Dictionary<(DateOnly Day, string Model, string Line), decimal>();
        foreach (var charge in charges)
        {
            var k = key(charge);
            sums[k] = sums.GetValueOrDefault(k) + charge.Usd;
        }

        return [.. sums.OrderBy(s => s.Key.Day).ThenBy(s => s.Key.Model, StringComparer.Ordinal).ThenBy(s => s.Key.Line, StringComparer.Ordinal)];
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static DateOnly[] Days(DateOnly from, DateOnly to) =>
        [.. Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays)];

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One token class of one billed call, priced.</summary>
    private readonly record struct Charge(DateTimeOffset At, string Model, string TokenClass, long Tokens, decimal Usd);
}
