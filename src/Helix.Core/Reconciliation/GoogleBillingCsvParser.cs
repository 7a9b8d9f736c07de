using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Helix.Core.Reconciliation;

/// <summary>Reads a Google Cloud Billing export as CSV (the BigQuery standard usage cost table, or its console download).</summary>
/// <remarks>
/// Needs a header row with at least <c>service.description</c>, <c>sku.description</c>, <c>usage_start_time</c>,
/// <c>cost</c> and <c>currency</c>; <c>project.id</c>, <c>credits</c>, <c>usage.amount</c> and <c>usage.unit</c> are read when
/// present. Fields follow RFC 4180. The net cost of a row is <c>cost + Σ credits.amount</c> (credits are negative).
/// Rows of services other than Gemini, the Generative Language API and Vertex AI are skipped. The model comes from
/// the SKU description through a <see cref="GeminiSkuTable"/>; a Gemini SKU the table does not know becomes the model
/// <c>unknown:&lt;sku description&gt;</c> so that it shows up, never silently merged. There is no request id; Google
/// loads late rows for a day for up to two days. Thread-safe.
/// </remarks>
public sealed partial class GoogleBillingCsvParser : IBillingExportParser
{
    private const string Format = "Google Cloud Billing CSV";

    private static readonly string[] s_services = ["gemini", "generative language", "vertex ai"];

    private readonly GeminiSkuTable _skus;

    /// <summary>Creates a parser with the default SKU table.</summary>
    public GoogleBillingCsvParser()
        : this(GeminiSkuTable.Default)
    {
    }

    /// <summary>Creates a parser with its own SKU table.</summary>
    public GoogleBillingCsvParser(GeminiSkuTable skus)
    {
        ArgumentNullException.ThrowIfNull(skus);
        _skus = skus;
    }

    /// <inheritdoc />
    public string Provider => "gemini";

    /// <inheritdoc />
    public BillingExport Parse(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var records = CsvRecords.Read(content, Format).GetEnumerator();
        if (!records.MoveNext())
        {
            throw ExportJson.Error(Format, "header", "the export is empty; expected a header row", 1);
        }

        var header = records.Current.Fields;
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var c = 0; c < header.Count; c++)
        {
            columns.TryAdd(header[c].Trim(), c);
        }

        int Required(string name) => columns.TryGetValue(name, out var index)
            ? index
            : throw ExportJson.Error(Format, name, $"the header lacks the column (found: {string.Join(", ", header)})", 1);
        int? Optional(string name) => columns.TryGetValue(name, out var index) ? index : null;

        var service = Required("service.description");
        var sku = Required("sku.description");
        var start = Required("usage_start_time");
        var cost = Required("cost");
        var currency = Required("currency");
        var project = Optional("project.id");
        var credits = Optional("credits");
        var usageAmount = Optional("usage.amount");
        var usageUnit = Optional("usage.unit");

        List<BilledLine> lines = [];
        DateOnly? from = null;
        DateOnly? to = null;
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            if (fields.Count != header.Count)
            {
                throw ExportJson.Error(Format, "row", $"{fields.Count} fields where the header has {header.Count}", line);
            }

            if (!IsGemini(fields[service]))
            {
                continue;
            }

            var rowCurrency = fields[currency].Trim();
            if (!rowCurrency.Equals("USD", StringComparison.OrdinalIgnoreCase))
            {
                throw ExportJson.Error(Format, "currency", $"'{rowCurrency}' is not USD; export the billing data in USD (Helix reconciles USD bills only)", line);
            }

            var at = ExportJson.ParseTimestamp(fields[start], Format, "usage_start_time", line);
            var day = DateOnly.FromDateTime(at.UtcDateTime);
            from = from is null || day < from ? day : from;
            to = to is null || day > to ? day : to;

            var net = ExportJson.ParseDecimal(fields[cost], Format, "cost", line)
                + (credits is { } k ? SumCredits(fields[k], line) : 0m);
            var skuText = fields[sku].Trim();
            var model = _skus.Match(skuText) ?? "unknown:" + skuText.ToLowerInvariant();
            var tokenClass = TokenClasses.FromWords(skuText);
            var quantity = usageAmount is { } a
                ? TokenQuantity(fields[a], usageUnit is { } u ? fields[u] : null, tokenClass, line)
                : null;
            var projectId = project is { } p && fields[p].Trim() is { Length: > 0 } id ? id : null;

            lines.Add(new BilledLine(Provider, day, model, tokenClass, projectId, net, quantity, RequestId: null));
        }

        return new BillingExport(Provider, lines, from, to);
    }

    private static bool IsGemini(string serviceDescription)
    {
        foreach (var s in s_services)
        {
            if (serviceDescription.Contains(s, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sum of a row's credits: empty, a number, a JSON list, or the Python-style list some tools write.</summary>
    private static decimal SumCredits(string field, int line)
    {
        var text = field.Trim();
        if (text.Length == 0 || text == "[]")
        {
            return 0m;
        }

        if (text[0] != '[')
        {
            return ExportJson.ParseDecimal(text, Format, "credits", line);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var sum = 0m;
            var i = 0;
            foreach (var credit in document.RootElement.EnumerateArray())
            {
                sum += credit.ValueKind == JsonValueKind.Object
                    ? ExportJson.RequiredDecimal(credit, "amount", $"credits[{i}]", Format)
                    : throw ExportJson.Error(Format, $"credits[{i}]", "expected a credit object with an amount", line);
                i++;
            }

            return sum;
        }
        catch (JsonException)
        {
            // Not strict JSON: single-quoted keys (a Python repr) are common in hand-made exports; take each amount.
            var matches = CreditAmount().Matches(text);
            if (matches.Count == 0)
            {
                throw ExportJson.Error(Format, "credits", $"'{text}' is neither a number nor a list of credits with amounts", line);
            }

            var sum = 0m;
            foreach (Match m in matches)
            {
                sum += ExportJson.ParseDecimal(m.Groups["amount"].Value, Format, "credits.amount", line);
            }

            return sum;
        }
        catch (BillingExportFormatException ex) when (ex.Line is null)
        {
            throw new BillingExportFormatException($"{Format}: line {line.ToString(CultureInfo.InvariantCulture)}, {ex.Field}: the credit has no numeric amount.", ex)
            {
                Line = line,
                Field = ex.Field,
            };
        }
    }

    /// <summary>The token count of a row, when its unit counts tokens; token-hours of cache storage and other units give none.</summary>
    private static long? TokenQuantity(string amountText, string? unit, string? tokenClass, int line)
    {
        if (string.IsNullOrWhiteSpace(amountText) || !TokenClasses.IsTokenCount(tokenClass))
        {
            return null;
        }

        var u = unit?.Trim().ToLowerInvariant() ?? string.Empty;
        if (u.Contains("hour", StringComparison.Ordinal) || !(u.Contains("token", StringComparison.Ordinal) || u is "count" or ""))
        {
            return null;
        }

        var amount = ExportJson.ParseDecimal(amountText, Format, "usage.amount", line);
        return amount == decimal.Truncate(amount) ? (long)amount : null;
    }

    [GeneratedRegex("""['"]amount['"]\s*:\s*['"]?(?<amount>[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)""", RegexOptions.CultureInvariant)]
    private static partial Regex CreditAmount();
}
