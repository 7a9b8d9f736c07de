namespace Helix.Gateway.Admin;

/// <summary>The body of <c>POST /admin/api/routes</c>: a new operation.</summary>
internal sealed record RouteCreation(
    string? Operation,
    string? PrimaryModel,
    IReadOnlyList<string>? FallbackModels,
    string? Modality,
    string? UnknownPricePolicy,
    int? MaxOutputTokens);
