using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Helix.Core.Pricing.Import;

/// <summary>Reads LiteLLM's <c>model_prices_and_context_window.json</c> into Helix price entries.</summary>
/// <remarks>
/// <para>
/// Only the providers Helix has adapters for are read (<c>openai</c>, <c>deepseek</c>, <c>gemini</c>,
/// <c>anthropic</c>, <c>deepgram</c>); every other entry, <c>sample_spec</c> included, is skipped, and so is an
/// entry with no price Helix can express (image pixels, video seconds). Keys such as <c>gemini/gemini-2.5-flash</c>
/// lose their provider prefix; when LiteLLM lists a model both with and without that prefix, the prefixed entry
/// wins (it is the one LiteLLM prices the provider's own API with). Keys that keep a <c>/</c> after the prefix
/// (<c>hd/1024-x-1024/dall-e-3</c>) are size or quality variants no response names, and are skipped.
/// </para>
/// <para>
/// LiteLLM prices per token, per second and per character; Helix per million tokens, per minute and per million
/// characters. Each number is read from its JSON text straight into <see cref="decimal"/> (exponent forms such
/// as <c>1.5e-07</c> included), never through <see cref="double"/>, so the conversion is exact. A per-second
/// rate that LiteLLM rounded (Deepgram's <c>7.167e-05</c>) is replaced by the per-minute price LiteLLM records
/// beside it in <c>metadata.original_pricing_per_minute</c>.
/// </para>
/// <para>
/// A long-context tier (<c>*_above_200k_tokens</c>; also 128k and 272k where LiteLLM uses those) holds only the
/// rates LiteLLM lists for it: a meter it does not list is unpriced above the threshold rather than guessed.
/// Batch, flex and priority rates become service tiers: a multiplier when every listed rate is the same
/// fraction of its base rate, replacement rates otherwise. Stateless and thread-safe.
/// </para>
/// </remarks>
public static partial class LiteLlmPriceMap
{
    /// <summary>The <see cref="PriceEntry.Source"/> of imported entries.</summary>
    public const string SourceName = "LiteLLM price map import";

    private const decimal Million = 1_000_000m;
    private const int MaxMultiplierScale = 12;

    private static readonly Dictionary<string, string> s_providers = new(StringComparer.Ordinal)
    {
        ["openai"] = "openai",
        ["deepseek"] = "deepseek",
        ["gemini"] = "gemini",
        ["anthropic"] = "anthropic",
        ["deepgram"] = "deepgram",
    };

    // LiteLLM field (per token unless noted) → how it lands in PriceRates.
    private static readonly (string Field, decimal Scale, Func<PriceRates, decimal, PriceRates> Set)[] s_baseFields =
    [
        ("input_cost_per_token", Million, (r, v) => r with { Input = v }),
        ("cache_read_input_token_cost", Million, (r, v) => r with { CacheRead = v }),
        ("cache_creation_input_token_cost", Million, (r, v) => r with { CacheWrite5m = v }),
        ("cache_creation_input_token_cost_above_1hr", Million, (r, v) => r with { CacheWrite1h = v }),
        ("input_cost_per_audio_token", Million, (r, v) => r with { InputAudio = v }),
        ("cache_read_input_audio_token_cost", Million, (r, v) => r with { CacheReadAudio = v }),
        ("output_cost_per_token", Million, (r, v) => r with { Output = v }),
        ("output_cost_per_reasoning_token", Million, (r, v) => r with { Reasoning = v }),
        ("output_cost_per_audio_token", Million, (r, v) => r with { OutputAudio = v }),
        ("input_cost_per_second", 60m, (r, v) => r with { AudioPerMinute = v }),
        ("input_cost_per_character", Million, (r, v) => r with { CharactersPerMillion = v }),
    ];

    private static readonly (string Suffix, string Tier)[] s_serviceTiers =
        [("_batches", "batch"), ("_flex", "flex"), ("_priority", "priority")];

    /// <summary>The LiteLLM providers read, which are also their Helix provider ids.</summary>
    public static IReadOnlyCollection<string> SupportedProviders => s_providers.Keys;

    /// <summary>Reads a LiteLLM price map.</summary>
    /// <param name="json">The map's JSON text.</param>
    /// <param name="importDate">The <see cref="PriceEntry.SourceDate"/> of every entry (the day of the import).</param>
    /// <returns>One entry per supported model, sorted by provider and model, with no effective period.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The text is not JSON, or not a JSON object.</exception>
    public static IReadOnlyList<PriceEntry> Parse(string json, DateOnly importDate)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
        return Parse(document.RootElement, importDate);
    }

    /// <summary>Reads a LiteLLM price map from UTF-8 JSON.</summary>
    /// <inheritdoc cref="Parse(string, DateOnly)"/>
    public static IReadOnlyList<PriceEntry> Parse(ReadOnlyMemory<byte> utf8Json, DateOnly importDate)
    {
        using var document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { AllowTrailingCommas = true });
        return Parse(document.RootElement, importDate);
    }

    /// <summary>Reads a LiteLLM price map from a stream of UTF-8 JSON.</summary>
    /// <param name="utf8Json">The stream; read to its end, not disposed.</param>
    /// <param name="importDate">The <see cref="PriceEntry.SourceDate"/> of every entry.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The stream is not JSON, or not a JSON object.</exception>
    public static async Task<IReadOnlyList<PriceEntry>> ParseAsync(
        Stream utf8Json, DateOnly importDate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var document = await JsonDocument.ParseAsync(
            utf8Json, new JsonDocumentOptions { AllowTrailingCommas = true }, cancellationToken);
        return Parse(document.RootElement, importDate);
    }

    /// <summary>Reads a JSON number's text as an exact <see cref="decimal"/>.</summary>
    /// <returns><see langword="null"/> when the element is not a number that fits a decimal.</returns>
    internal static decimal? ReadDecimal(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        return decimal.TryParse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    /// <summary><paramref name="value"/> without trailing zeros (<c>10.00000</c> → <c>10</c>).</summary>
    internal static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    private static List<PriceEntry> Parse(JsonElement root, DateOnly importDate)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A LiteLLM price map is a JSON object of model names to prices.");
        }

        var byModel = new Dictionary<(string Provider, string Model), (PriceEntry Entry, bool Prefixed)>();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == "sample_spec" || property.Value.ValueKind != JsonValueKind.Object
                || !property.Value.TryGetProperty("litellm_provider", out var providerElement)
                || providerElement.ValueKind != JsonValueKind.String
                || !s_providers.TryGetValue(providerElement.GetString()!, out var provider))
            {
                continue;
            }

            var name = property.Name.Trim();
            var prefixed = name.StartsWith(provider + "/", StringComparison.OrdinalIgnoreCase);
            if (prefixed)
            {
                name = name[(provider.Length + 1)..];
            }

            if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            if (ReadEntry(provider, name.ToLowerInvariant(), property.Value, importDate) is not { } entry)
            {
                continue;
            }

            var key = (entry.Provider, entry.Model);
            if (!byModel.TryGetValue(key, out var existing) || (prefixed && !existing.Prefixed))
            {
                byModel[key] = (entry, prefixed);
            }
        }

        return [.. byModel.Values.Select(v => v.Entry)
            .OrderBy(e => e.Provider, StringComparer.Ordinal)
            .ThenBy(e => e.Model, StringComparer.Ordinal)];
    }

    private static PriceEntry? ReadEntry(string provider, string model, JsonElement prices, DateOnly importDate)
    {
        var rates = ReadRates(prices, suffix: "");
        if (rates.AudioPerMinute is not null && PerMinuteFromMetadata(prices) is { } perMinute)
        {
            rates = rates with { AudioPerMinute = perMinute };
        }

        if (RateFields.IsEmpty(rates))
        {
            return null;
        }

        return new PriceEntry
        {
            Provider = provider,
            Model = model,
            Rates = rates,
            LongContext = ReadLongContext(prices),
            ServiceTiers = ReadServiceTiers(prices, rates),
            Source = SourceName,
            SourceDate = importDate,
        };
    }

    private static PriceRates ReadRates(JsonElement prices, string suffix)
    {
        var rates = new PriceRates();
        foreach (var (field, scale, set) in s_baseFields)
        {
            if (prices.TryGetProperty(field + suffix, out var element) && ReadDecimal(element) is { } value && value >= 0m)
            {
                // A rate too large for a decimal once scaled saturates, so PriceEntryValidator refuses it by name.
                rates = set(rates, value > decimal.MaxValue / scale ? decimal.MaxValue : Normalize(value * scale));
            }
        }

        return rates;
    }

    private static decimal? PerMinuteFromMetadata(JsonElement prices) =>
        prices.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("original_pricing_per_minute", out var element)
        && ReadDecimal(element) is { } value && value >= 0m
            ? Normalize(value)
            : null;

    private static LongContextTier? ReadLongContext(JsonElement prices)
    {
        long? thresholdThousands = null;
        foreach (var property in prices.EnumerateObject())
        {
            var match = AboveTokensSuffix().Match(property.Name);
            if (match.Success && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var k))
            {
                // LiteLLM lists one tier per model; if it ever lists several, the 200k one is the documented cliff.
                thresholdThousands = thresholdThousands is null || k == 200 ? k : thresholdThousands;
            }
        }

        if (thresholdThousands is not { } thousands)
        {
            return null;
        }

        var rates = ReadRates(prices, $"_above_{thousands.ToString(CultureInfo.InvariantCulture)}k_tokens");
        // A threshold past long's range saturates, so PriceEntryValidator refuses it rather than let it wrap around.
        return RateFields.IsEmpty(rates) ? null : new LongContextTier(thousands > long.MaxValue / 1000 ? long.MaxValue : thousands * 1000, rates);
    }

    private static Dictionary<string, ServiceTierPrice> ReadServiceTiers(JsonElement prices, PriceRates baseRates)
    {
        var tiers = new Dictionary<string, ServiceTierPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (suffix, tier) in s_serviceTiers)
        {
            var tierRates = ReadRates(prices, suffix);
            if (!RateFields.IsEmpty(tierRates))
            {
                tiers[tier] = ToServiceTier(baseRates, tierRates);
            }
        }

        return tiers;
    }

    // A tier whose every listed rate is the same exact fraction of its base rate is that fraction of the whole
    // call (so meters the tier does not list are discounted too, as batch discounts are); otherwise its rates
    // replace the listed base rates. "Exact" means a terminating fraction (a recurring one such as 2/1.1 is
    // rounded by decimal) that gives every tier rate back from its base rate.
    private static ServiceTierPrice ToServiceTier(PriceRates baseRates, PriceRates tierRates)
    {
        var pairs = new List<(decimal Base, decimal Tier)>();
        var uniform = true;
        foreach (var field in RateFields.All)
        {
            if (field.Declared(tierRates) is not { } tierRate)
            {
                continue;
            }

            var baseRate = field.Declared(baseRates);
            if (baseRate is 0m && tierRate == 0m)
            {
                continue;
            }

            if (baseRate is not { } b || b == 0m)
            {
                uniform = false;
                break;
            }

            pairs.Add((b, tierRate));
        }

        if (uniform && pairs.Count > 0)
        {
            var ratio = Normalize(pairs[0].Tier / pairs[0].Base);
            if (ratio.Scale <= MaxMultiplierScale && pairs.TrueForAll(p => p.Base * ratio == p.Tier))
            {
                return new ServiceTierPrice(null, ratio);
            }
        }

        return new ServiceTierPrice(RateFields.Overlay(baseRates, tierRates), null);
    }

    [GeneratedRegex(@"_above_(\d+)k_tokens$", RegexOptions.CultureInvariant)]
    private static partial Regex AboveTokensSuffix();
}
