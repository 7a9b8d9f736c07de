using System.Text.Json;

namespace Helix.Core.Reconciliation;

/// <summary>Reads Anthropic's cost report (<c>GET /v1/organizations/cost_report</c>), whose amounts are in cents.</summary>
/// <remarks>
/// <code>
/// {"data":[{"starting_at":"2026-11-01T00:00:00Z","ending_at":"2026-11-02T00:00:00Z",
///   "results":[{"currency":"USD","amount":"123.45","cost_type":"tokens","description":"…",
///               "model":"claude-sonnet-4-5-20250929","token_type":"uncached_input_tokens",
///               "context_window":"0-200k","service_tier":"standard","workspace_id":null}]}],
///  "has_more":false,"next_page":null}
/// </code>
/// <c>amount</c> is a decimal string in the lowest currency unit: <c>"123.45"</c> is $1.2345. It is divided by 100
/// exactly, never rounded; sums are taken on the unrounded values. Accepts one page or a JSON array of pages.
/// Stateless and thread-safe.
/// </remarks>
public sealed class AnthropicCostReportParser : IBillingExportParser
{
    private const string Format = "Anthropic cost report";

    /// <inheritdoc />
    public string Provider => "anthropic";

    /// <inheritdoc />
    public BillingExport Parse(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return JsonExportPages.ReadCostBuckets(content, Provider, Format, "ending_at", static (bucket, path) =>
        {
            var start = ExportJson.RequiredTimestamp(bucket, "starting_at", path, Format);
            var end = ExportJson.OptionalString(bucket, "ending_at", path, Format) is { } endText
                ? ExportJson.ParseTimestamp(endText, Format, $"{path}.ending_at")
                : start.AddDays(1);
            return (start, end);
        }, ReadResult);
    }

    private BilledLine ReadResult(JsonElement result, string path, DateOnly day)
    {
        var currency = ExportJson.OptionalString(result, "currency", path, Format);
        if (currency is not null && !currency.Equals("USD", StringComparison.OrdinalIgnoreCase))
        {
            throw ExportJson.Error(Format, $"{path}.currency", $"'{currency}' is not USD; Helix reconciles USD bills only");
        }

        var cents = ExportJson.RequiredDecimal(result, "amount", path, Format);
        var model = BilledModelNames.Normalize(ExportJson.OptionalString(result, "model", path, Format));
        var costType = ExportJson.OptionalString(result, "cost_type", path, Format);
        var tokenType = ExportJson.OptionalString(result, "token_type", path, Format);
        var contextWindow = ExportJson.OptionalString(result, "context_window", path, Format);

        string? tokenClass = null;
        if (costType is null || costType.Equals("tokens", StringComparison.OrdinalIgnoreCase))
        {
            tokenClass = TokenClass(tokenType);
            if (tokenClass is not null && IsLongContext(contextWindow) && !tokenClass.EndsWith(TokenClasses.LongContextSuffix, StringComparison.Ordinal))
            {
                tokenClass += TokenClasses.LongContextSuffix;
            }
        }
        else
        {
            tokenClass = TokenClasses.Slug(costType);
        }

        var workspace = ExportJson.OptionalString(result, "workspace_id", path, Format);
        return new BilledLine(Provider, day, model, tokenClass, workspace, cents / 100m, Quantity: null, RequestId: null);
    }

    private static string? TokenClass(string? tokenType) => tokenType?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "uncached_input_tokens" or "input_tokens" or "input" => TokenClasses.Input,
        "output_tokens" or "output" => TokenClasses.Output,
        "cache_read_input_tokens" or "cache_read" or "input_cache_read" => TokenClasses.CachedInput,
        "cache_creation.ephemeral_5m_input_tokens" or "cache_creation_5m" or "input_cache_write" or "cache_creation_input_tokens" => TokenClasses.CacheWrite5m,
        "cache_creation.ephemeral_1h_input_tokens" or "cache_creation_1h" or "input_cache_write_1h" => TokenClasses.CacheWrite1h,
        var other => TokenClasses.FromWords(other) ?? TokenClasses.Slug(other),
    };

    private static bool IsLongContext(string? contextWindow) =>
        contextWindow is not null
        && !contextWindow.StartsWith("0-", StringComparison.Ordinal)
        && contextWindow.Trim().Length > 0;
}
