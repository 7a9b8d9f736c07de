using Helix.Core.Principals;

namespace Helix.Gateway.Admin;

/// <summary>An API key as the admin API shows it: never the key, never its hash.</summary>
internal sealed record KeyItem(
    string Id,
    string Name,
    string Role,
    IReadOnlyList<string>? Operations,
    int? RequestsPerMinute,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] DateTimeOffset? LastUsedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] DateTimeOffset? RevokedAt)
{
    public static KeyItem From(ApiKeyRecord key) => new(
        key.Id, key.Name, PrincipalRoles.Name(key.Role), key.Operations, key.RequestsPerMinute, key.CreatedAt, key.CreatedBy, key.LastUsedAt, key.RevokedAt);
}
