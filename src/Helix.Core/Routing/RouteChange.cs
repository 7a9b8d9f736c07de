namespace Helix.Core.Routing;

/// <summary>A change to a route; every <see langword="null"/> member leaves that part as it is.</summary>
/// <param name="PrimaryModel">The new primary model (catalog id, or provider model id when unambiguous).</param>
/// <param name="FallbackModels">The new fallback chain (empty for none); <see langword="null"/> keeps the chain.</param>
/// <param name="UnknownPricePolicy">What the route does with a model that has no price.</param>
/// <param name="MaxOutputTokens">The new output cap of the operation's calls (1 to <see cref="RouteTable.MaxOutputTokensLimit"/>).</param>
/// <param name="RemoveMaxOutputTokens">Removes the output cap, so calls may use the model's own maximum.</param>
public sealed record RouteChange(
    string? PrimaryModel = null,
    IReadOnlyList<string>? FallbackModels = null,
    UnknownPricePolicy? UnknownPricePolicy = null,
    int? MaxOutputTokens = null,
    bool RemoveMaxOutputTokens = false)
{
    /// <summary>Whether the change changes nothing.</summary>
    public bool IsEmpty => PrimaryModel is null && FallbackModels is null && UnknownPricePolicy is null && MaxOutputTokens is null && !RemoveMaxOutputTokens;
}
