namespace Helix.Core.Toggles;

/// <summary>A toggle before and after a change, for the change history.</summary>
/// <param name="Before">The toggle before, or <see langword="null"/> when the change created it.</param>
/// <param name="After">The toggle after, or <see langword="null"/> when the change deleted it.</param>
public sealed record ToggleChange(ToggleConfig? Before, ToggleConfig? After);
