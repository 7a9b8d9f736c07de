namespace Helix.Core.Toggles;

/// <summary>A named switch: a feature flag, a kill switch, or a locked safety guardrail.</summary>
/// <remarks>
/// Immutable. A locked toggle (<see cref="Locked"/>) is defined in code or the host's configuration, never stored;
/// nothing at run time changes it. Kill switches follow <see cref="ToggleNames"/> and kill what they name while
/// <see cref="Enabled"/>.
/// </remarks>
public sealed record ToggleConfig
{
    /// <summary>The name (<see cref="ToggleNames.Rule"/>), compared case-insensitively.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the toggle is on.</summary>
    public bool Enabled { get; init; }

    /// <summary>Whether the toggle is a safety guardrail that no API call, role or stored value changes.</summary>
    public bool Locked { get; init; }

    /// <summary>What the toggle applies to.</summary>
    public ToggleScope Scope { get; init; } = ToggleScope.Global;

    /// <summary>The operation, provider or model the toggle applies to; <see langword="null"/> for a global toggle.</summary>
    public string? Subject { get; init; }

    /// <summary>What the toggle does, for people.</summary>
    public string? Description { get; init; }

    /// <summary>Who answers for the toggle (a team, a person).</summary>
    public string? Owner { get; init; }

    /// <summary>Why a locked toggle is locked; <see langword="null"/> for the others.</summary>
    public string? LockedReason { get; init; }

    /// <summary>When the toggle was last changed; <see langword="null"/> for a locked one.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The id of the principal who last changed it; <see langword="null"/> for a locked one.</summary>
    public string? UpdatedBy { get; init; }
}
