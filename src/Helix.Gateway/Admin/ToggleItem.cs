using Helix.Core.Toggles;

namespace Helix.Gateway.Admin;

/// <summary>A toggle as the admin API shows it.</summary>
internal sealed record ToggleItem(
    string Name,
    bool Enabled,
    bool Locked,
    string Scope,
    string? Subject,
    string? Description,
    string? Owner,
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
