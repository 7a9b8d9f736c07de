namespace Helix.Core.Toggles;

/// <summary>A locked toggle defined in configuration: fixed for the life of the process, never stored.</summary>
public sealed class LockedToggleOptions
{
    /// <summary>The name (<see cref="ToggleNames.Rule"/>); a kill switch name (<c>kill:operation:email-drafting</c>) kills for good.</summary>
    public string? Name { get; set; }

    /// <summary>Whether it is on (default <see langword="true"/>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What it does.</summary>
    public string? Description { get; set; }

    /// <summary>Who answers for it.</summary>
    public string? Owner { get; set; }

    /// <summary>Why it is locked.</summary>
    public string? Reason { get; set; }

    /// <summary>The toggle it defines.</summary>
    public ToggleConfig ToToggle() => new()
    {
        Name = Name ?? string.Empty,
        Enabled = Enabled,
        Locked = true,
        Description = Description,
        Owner = Owner,
        LockedReason = Reason,
    };
}
