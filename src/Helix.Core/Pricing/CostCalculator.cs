using Helix.Core.Metering;

namespace Helix.Core.Pricing;

/// <summary>Prices a call's meters with a price entry in force at the call's time.</summary>
/// <remarks>
/// Pure and allocation-free: it runs on the request path once per attempt. Rules, in order:
/// a time-of-day window replaces the base rates; a long-context tier re-prices the whole request once every
/// input token of the prompt (cached or not) exceeds its threshold, and exactly the threshold stays in the base
/// tier; a service tier replaces rates and/or multiplies the total. Token rates are per million, so
/// <c>tokens × rate / 1e6</c> is exact in <see cref="decimal"/>; audio multiplies before dividing by 60 so that
/// per-minute rates stay exact too.
/// </remarks>
public static class CostCalculator
{
    // Multiplying by an exact power of ten only shifts the decimal scale: exact, and far cheaper than dividing.
    private const decimal PerMillionFactor = 0.000001m;
    private const decimal PerThousandFactor = 0.001m;

    /// <summary>Prices <paramref name="meters"/> with <paramref name="price"/>.</summary>
    /// <param name="price">The entry in force at <paramref name="at"/>.</param>
    /// <param name="meters">The call's meters.</param>
    /// <param name="serviceTier">The service tier the call ran in, or <see langword="null"/> for the default.</param>
    /// <param name="at">When the call was made, for time-of-day windows.</param>
    /// <exception cref="ArgumentNullException"><paramref name="price"/> is <see langword="null"/>.</exception>
    public static CostResult Calculate(PriceEntry price, in UsageMeters meters, string? serviceTier, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(price);

        var rates = price.Rates;
        var windows = price.TimeWindows;
        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i].Contains(at))
            {
                rates = windows[i].Rates;
                break;
            }
        }

        if (price.LongContext is { } tier && meters.PromptTokens > tier.ThresholdPromptTokens)
        {
            rates = tier.Rates;
        }

        var multiplier = 1m;
        if (!string.IsNullOrEmpty(serviceTier) && price.ServiceTiers.Count > 0
            && price.ServiceTiers.TryGetValue(serviceTier, out var tierPrice))
        {
            rates = tierPrice.Rates ?? rates;
            multiplier = tierPrice.Multiplier ?? 1m;
        }

        string? missing = null;
        var breakdown = new CostBreakdown
        {
            Input = PerMillion(meters.InputTokens, rates.Input, "input", ref missing),
            CacheRead = PerMillion(meters.CacheReadTokens, rates.CacheRead, "cacheRead", ref missing),
            CacheWrite5m = PerMillion(meters.CacheWrite5mTokens, rates.CacheWrite5m, "cacheWrite5m", ref missing),
            CacheWrite1h = PerMillion(meters.CacheWrite1hTokens, rates.CacheWrite1h, "cacheWrite1h", ref missing),
            InputAudio = PerMillion(meters.InputAudioTokens, rates.InputAudio, "inputAudio", ref missing),
            CacheReadAudio = PerMillion(meters.CacheReadAudioTokens, rates.CacheReadAudio, "cacheReadAudio", ref missing),
            InputImage = PerMillion(meters.InputImageTokens, rates.InputImage, "inputImage", ref missing),
            InputVideo = PerMillion(meters.InputVideoTokens, rates.InputVideo, "inputVideo", ref missing),
            ToolPrompt = PerMillion(meters.ToolPromptTokens, rates.ToolPrompt ?? rates.Input, "toolPrompt", ref missing),
            Output = PerMillion(meters.OutputTokens, rates.Output, "output", ref missing),
            Reasoning = PerMillion(meters.ReasoningTokens, rates.Reasoning ?? rates.Output, "reasoning", ref missing),
            OutputAudio = PerMillion(meters.OutputAudioTokens, rates.OutputAudio, "outputAudio", ref missing),
            Audio = Audio(meters.AudioSeconds, rates.AudioPerMinute, ref missing),
            Characters = PerMillion(meters.Characters, rates.CharactersPerMillion, "characters", ref missing),
            Requests = PerUnit(meters.Requests, rates.PerRequest),
            WebSearch = meters.WebSearchRequests == 0 ? 0m
                : rates.WebSearchPerThousand is { } search ? meters.WebSearchRequests * search * PerThousandFactor
                : Missing("webSearch", ref missing),
            CacheStorage = meters.CacheStorageTokenHours == 0m ? 0m
                : rates.CacheStoragePerMillionTokenHours is { } storage ? meters.CacheStorageTokenHours * storage * PerMillionFactor
                : Missing("cacheStorage", ref missing),
            Multiplier = multiplier,
        };

        return missing is null
            ? new CostResult(CostStatus.Priced, breakdown.Total, breakdown, price, null)
            : CostResult.Unpriced(price, $"no {missing} price for {price.Provider}/{price.Model}");
    }

    private static decimal PerMillion(long quantity, decimal? ratePerMillion, string meter, ref string? missing)
    {
        if (quantity == 0)
        {
            return 0m;
        }

        return ratePerMillion is { } rate ? quantity * rate * PerMillionFactor : Missing(meter, ref missing);
    }

    // Per-request prices are optional: most models bill no request fee, so a missing one means zero.
    private static decimal PerUnit(long quantity, decimal? rate) => quantity == 0 || rate is null ? 0m : quantity * rate.Value;

    private static decimal Audio(decimal seconds, decimal? perMinute, ref string? missing)
    {
        if (seconds == 0m)
        {
            return 0m;
        }

        return perMinute is { } rate ? seconds * rate / 60m : Missing("audio", ref missing);
    }

    private static decimal Missing(string meter, ref string? missing)
    {
        missing ??= meter;
        return 0m;
    }
}
