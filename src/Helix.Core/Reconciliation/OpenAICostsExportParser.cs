using System.Text.Json;

namespace Helix.Core.Reconciliation;

/// <summary>Reads OpenAI Costs API pages (<c>GET /v1/organization/costs</c>, grouped by <c>line_item</c> and optionally <c>project_id</c>).</summary>
/// <remarks>
/// <code>
/// {"object":"page","data":[{"object":"bucket","start_time":1793491200,"end_time":1793577600,
///   "results":[{"object":"organization.costs.result","amount":{"value":0.06,"currency":"usd"},
///               "line_item":"gpt-4o-mini, input","project_id":"proj_abc"}]}],"has_more":false,"next_page":null}
/// </code>
/// Accepts one page or a JSON array of pages. A line item <c>"model, token class"</c> gives the model and class; a null
/// line item (costs not grouped by line item) gives the model <see cref="BilledModelNames.Unknown"/>. Amounts are read
/// exactly from the JSON text as decimals, never through a double. Stateless and thread-safe.
/// </remarks>
public sealed class OpenAICostsExportParser : IBillingExportParser
{
    private const string Format = "OpenAI costs export";

    /// <inheritdoc />
    public string Provider => "openai";

    /// <inheritdoc />
    public BillingExport Parse(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return JsonExportPages.ReadCostBuckets(content, Provider, Format, "end_time", static (bucket, path) =>
        {
            var start = DateTimeOffset.FromUnixTimeSeconds(ExportJson.RequiredUnixSeconds(bucket, "start_time", path, Format));
            var end = bucket.TryGetProperty("end_time", out var endElement) && endElement.ValueKind != JsonValueKind.Null
                ? DateTimeOffset.FromUnixTimeSeconds(ExportJson.RequiredUnixSeconds(bucket, "end_time", path, Format))
                : start.AddDays(1);
            return (start, end);
        }, ReadResult);
    }

    private BilledLine ReadResult(JsonElement result, string path, DateOnly day)
    {
        var amount = ExportJson.Object(result, "amount", path, Format)
            ?? throw ExportJson.Error(Format, $"{path}.amount", "missing; expected {\"value\":…,\"currency\":\"usd\"}");
        var value = ExportJson.RequiredDecimal(amount, "value", $"{path}.amount", Format);
        var currency = ExportJson.OptionalString(amount, "currency", $"{path}.amount", Format);
        if (currency is not null && !currency.Equals("usd", StringComparison.OrdinalIgnoreCase))
        {
            throw ExportJson.Error(Format, $"{path}.amount.currency", $"'{currency}' is not USD; Helix reconciles USD bills only");
        }

        var lineItem = ExportJson.OptionalString(result, "line_item", path, Format);
        string model = BilledModelNames.Unknown;
        string? tokenClass = null;
        if (!string.IsNullOrWhiteSpace(lineItem))
        {
            // "gpt-4o-mini-2024-07-18, cached input": model ids never contain a comma, so the first one splits.
            var comma = lineItem.IndexOf(',', StringComparison.Ordinal);
            model = BilledModelNames.Normalize(comma < 0 ? lineItem : lineItem[..comma]);
            if (comma >= 0 && lineItem[(comma + 1)..].Trim() is { Length: > 0 } classText)
            {
                tokenClass = TokenClasses.FromWords(classText) ?? TokenClasses.Slug(classText);
            }
        }

        var project = ExportJson.OptionalString(result, "project_id", path, Format);
        return new BilledLine(Provider, day, model, tokenClass, project, value, Quantity: null, RequestId: null);
    }
}
