using Helix.Core.Pricing;

namespace Helix.Core.Metering;

/// <summary>The cost of a call's worst-case meters: what a budget reserves and recovery bills.</summary>
public static class WorstCaseCost
{
    /// <summary>The worst-case cost, or <see langword="null"/> when there is no price.</summary>
    /// <remarks>
    /// A tier can cost more than the default (<c>priority</c>) or less (<c>batch</c>), and a provider may serve the call
    /// in the default tier anyway; so the worst case is the dearer of the two.
    /// </remarks>
    /// <param name="price">The price in force, or <see langword="null"/>.</param>
    /// <param name="meters">The worst-case meters.</param>
    /// <param name="serviceTier">The tier the request asks for, or <see langword="null"/>.</param>
    /// <param name="at">When the call is made.</param>
    public static decimal? Of(PriceEntry? price, in UsageMeters meters, string? serviceTier, DateTimeOffset at)
    {
        if (price is null)
        {
            return null;
        }

        var standard = CostCalculator.Calculate(price, meters, null, at).TotalUsd;
        if (string.IsNullOrEmpty(serviceTier))
        {
            return standard;
        }

        var tiered = CostCalculator.Calculate(price, meters, serviceTier, at).TotalUsd;
        return standard is null ? tiered : tiered is null ? standard : Math.Max(standard.Value, tiered.Value);
    }
}
