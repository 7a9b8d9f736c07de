namespace Helix.Core.Routing;

/// <summary>A change to a route; every <see langword="null"/> member leaves that part as it is.</summary>
/// <param name="PrimaryModel">The new primary model (catalog id, or provider model id when unambiguous).</param>
/// <param name="FallbackModels">The new fallback chain; it needs <paramref name="PrimaryModel"/>, and with it, <see langword="null"/> means none.</param>
/// <param name="UnknownPricePolicy">What the route does with a model that has no price.</param>
public sealed record RouteChange(
    string? PrimaryModel = null,
    IReadOnlyList<string>? FallbackModels = null,
    UnknownPricePolicy? UnknownPricePolicy = null);
