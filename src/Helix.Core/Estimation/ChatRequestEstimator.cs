using Helix.Core.Metering;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Estimation;

/// <summary>Estimates the worst-case usage and cost of an OpenAI-shaped chat request before it is sent.</summary>
/// <remarks>
/// Worst case = every input token at the uncached rate plus the output cap at the output rate: what a budget must
/// reserve so that concurrent calls cannot overspend. The input is counted in the one read of the request's bytes
/// (<see cref="ChatRequest.Read"/>): every message's text with the tokenizer plus 4 tokens of framing, 3 for the
/// reply's priming, the JSON of <c>tools</c> and <c>tool_calls</c>, and a typical image's tokens per media part.
/// Stateless and thread-safe.
/// </remarks>
public static class ChatRequestEstimator
{
    // A typical image (Gemini: 258 tokens per tile; OpenAI: 85 + 170 per 512px tile); used only for estimates.
    private const int TokensPerImage = 765;

    /// <summary>The input of <paramref name="request"/> and its output cap, counted when its bytes were read.</summary>
    public static RequestEstimate Estimate(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Estimate;
    }

    /// <summary>The worst-case cost of a request on a model, or <see langword="null"/> when the model has no price.</summary>
    public static decimal? WorstCaseCost(in RequestEstimate estimate, ModelConfig model, PriceEntry? price, DateTimeOffset at) =>
        WorstCaseCost(estimate, model, price, at, serviceTier: null);

    /// <summary>The worst-case cost of a request on a model in a service tier, or <see langword="null"/> when the model has no price.</summary>
    /// <remarks>
    /// A tier can cost more than the default (<c>priority</c>) or less (<c>batch</c>), and a provider may serve the
    /// call in the default tier anyway; so the worst case is the dearer of the two.
    /// </remarks>
    /// <param name="estimate">The request's estimate.</param>
    /// <param name="model">The model, for its default output cap.</param>
    /// <param name="price">The model's price in force, or <see langword="null"/>.</param>
    /// <param name="at">When the call is made, for time-of-day windows.</param>
    /// <param name="serviceTier">The service tier the request asks for, or <see langword="null"/>.</param>
    public static decimal? WorstCaseCost(in RequestEstimate estimate, ModelConfig model, PriceEntry? price, DateTimeOffset at, string? serviceTier)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (price is null)
        {
            return null;
        }

        var meters = new UsageMeters
        {
            InputTokens = estimate.InputTokens + (long)estimate.ImageParts * TokensPerImage,
            OutputTokens = estimate.MaxOutputTokens ?? model.DefaultMaxOutputTokens,
        };
        var standard = CostCalculator.Calculate(price, meters, null, at).TotalUsd;
        if (string.IsNullOrEmpty(serviceTier))
        {
            return standard;
        }

        var tiered = CostCalculator.Calculate(price, meters, serviceTier, at).TotalUsd;
        return standard is null ? tiered : tiered is null ? standard : Math.Max(standard.Value, tiered.Value);
    }

    /// <summary>The worst-case meters of a request: every input token, and the output at <paramref name="outputCap"/>.</summary>
    public static UsageMeters WorstCaseMeters(in RequestEstimate estimate, int outputCap) => new()
    {
        InputTokens = estimate.InputTokens + (long)estimate.ImageParts * TokensPerImage,
        OutputTokens = outputCap,
    };

    /// <summary>Estimated meters for a call whose usage never arrived: the counted input and the tokens of what was produced.</summary>
    public static UsageMeters EstimateUsage(in RequestEstimate estimate, string? producedText) => new()
    {
        InputTokens = estimate.InputTokens + (long)estimate.ImageParts * TokensPerImage,
        OutputTokens = TokenCounter.Count(producedText),
    };

    /// <summary>The output cap a chat request asks for: <c>max_completion_tokens</c>, else <c>max_tokens</c>; <see langword="null"/> when neither is a positive whole number.</summary>
    public static int? RequestedCap(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.RequestedMaxTokens;
    }
}
