using Helix.Core.Pricing;
using Helix.Core.Routing;

namespace Helix.Dashboard.Model;

/// <summary>A catalog model with the price in force now, for the model selector.</summary>
/// <param name="Model">The model.</param>
/// <param name="Price">Its price now, or <see langword="null"/> when it has none.</param>
public sealed record ModelChoice(ModelConfig Model, PriceEntry? Price)
{
    /// <summary>A short price: input/output per million tokens, per minute, or per million characters.</summary>
    public string PriceText => Price?.Rates switch
    {
        null => "no price",
        { Input: { } input, Output: { } output } => $"${input:0.###} in / ${output:0.###} out per 1M tokens",
        { Input: { } input } => $"${input:0.###} per 1M tokens",
        { AudioPerMinute: { } minute } => $"${minute:0.####} per minute",
        { CharactersPerMillion: { } characters } => $"${characters:0.##} per 1M characters",
        _ => "priced",
    };
}
