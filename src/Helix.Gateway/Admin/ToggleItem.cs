using System.Text.Json.Serialization;
using Helix.Core.Toggles;

namespace Helix.Gateway.Admin;

/// <summary>A toggle as the admin API shows it; <c>description</c> and <c>owner</c> are always present (null when unset), the other optional fields only when set.</summary>
internal sealed record ToggleItem(
    string Name,
    bool Enabled,
    bool Locked,
    string Scope,
    string? Subject,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Owner,
    string? LockedReason,
    DateTimeOffset? UpdatedAt,
    string? UpdatedBy)
{
    public static ToggleItem From(ToggleConfig toggle) => new(
        toggle.Name,
        toggle.Enabled,
        toggle.Locked,
        toggle.Scope.ToString().ToLowerInvariant(),
        toggle.Subject,
        toggle.Description,
        toggle.Owner,
        toggle.LockedReason,
        toggle.UpdatedAt,
        toggle.UpdatedBy);
}
