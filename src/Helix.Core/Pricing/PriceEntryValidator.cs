using System.Globalization;
using Helix.Core.Pricing.Import;

namespace Helix.Core.Pricing;

/// <summary>Checks that a price is one Helix can compute with: every rate non-negative and within a sane bound.</summary>
/// <remarks>
/// Applied to admin overrides, the configured overrides file and LiteLLM imports before anything is stored, so that
/// a negative rate never logs a negative cost and a huge one never overflows a decimal on the request path. Stateless
/// and thread-safe.
/// </remarks>
public static class PriceEntryValidator
{
    /// <summary>The highest accepted rate in its unit (USD per 1M tokens for token meters): a dollar per token.</summary>
    public const decimal MaxRate = 1_000_000m;

    /// <summary>The highest accepted service-tier multiplier.</summary>
    public const decimal MaxMultiplier = 100m;

    /// <summary>The highest accepted long-context threshold, in prompt tokens.</summary>
    public const long MaxThresholdTokens = 1_000_000_000;

    /// <summary>Every problem of <paramref name="entry"/>, each naming the model and the field; empty when it is valid.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> Problems(PriceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var name = $"{entry.Provider}/{entry.Model}";
        var problems = new List<string>();
        CheckRates(entry.Rates, name, "rates", problems);
        if (entry.LongContext is { } tier)
        {
            if (tier.ThresholdPromptTokens is < 1 or > MaxThresholdTokens)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: longContext.thresholdPromptTokens is {tier.ThresholdPromptTokens}; it must be from 1 to {MaxThresholdTokens}."));
            }

            CheckRates(tier.Rates, name, "longContext.rates", problems);
        }

        foreach (var (tierName, price) in entry.ServiceTiers)
        {
            if (price.Multiplier is { } multiplier && multiplier is < 0m or > MaxMultiplier)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: serviceTiers.{tierName}.multiplier is {multiplier}; it must be from 0 to {MaxMultiplier}."));
            }

            if (price.Rates is { } rates)
            {
                CheckRates(rates, name, $"serviceTiers.{tierName}.rates", problems);
            }
        }

        for (var i = 0; i < entry.TimeWindows.Count; i++)
        {
            CheckRates(entry.TimeWindows[i].Rates, name, $"timeWindows[{i}].rates", problems);
        }

        return problems;
    }

    private static void CheckRates(PriceRates? rates, string name, string path, List<string> problems)
    {
        if (rates is null)
        {
            problems.Add($"{name}: {path} is missing.");
            return;
        }

        foreach (var field in RateFields.All)
        {
            if ((field.DeclaredOrNull ?? field.Effective)(rates) is { } rate && rate is < 0m or > MaxRate)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {path}.{field.Name} is {rate}; a rate must be from 0 to {MaxRate}."));
            }
        }
    }
}
