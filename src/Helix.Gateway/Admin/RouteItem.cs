using Helix.Core.Routing;

namespace Helix.Gateway.Admin;

/// <summary>A route as the admin API shows it.</summary>
internal sealed record RouteItem(
    string Operation,
    string PrimaryModel,
    IReadOnlyList<string> FallbackModels,
    string Modality,
    bool Enabled,
    string UnknownPricePolicy,
    long Version,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    public static RouteItem From(RouteConfig r) => new(
        r.Operation, r.PrimaryModel, r.FallbackModels, r.Modality.ToString().ToLowerInvariant(), r.Enabled,
        r.UnknownPricePolicy.ToString().ToLowerInvariant(), r.Version, r.UpdatedAt, r.UpdatedBy);
}

/// <summary>The body of <c>PUT /admin/api/routes/{operation}</c>; what it leaves out stays as it is.</summary>
internal sealed record RouteUpdate(string? PrimaryModel, IReadOnlyList<string>? FallbackModels, string? UnknownPricePolicy);
