namespace Helix.Core.Toggles;

/// <summary>What an admin sets on a toggle; what it leaves <see langword="null"/> stays as it is (or takes its default when the toggle is new).</summary>
/// <param name="Name">The toggle's name.</param>
/// <param name="Enabled">Whether it is on.</param>
/// <param name="Scope">Its scope; a kill switch's comes from its name and may only be repeated.</param>
/// <param name="Subject">The operation, provider or model it applies to; a kill switch's comes from its name.</param>
/// <param name="Description">What it does.</param>
/// <param name="Owner">Who answers for it.</param>
public sealed record ToggleUpdate(string Name, bool Enabled, ToggleScope? Scope = null, string? Subject = null, string? Description = null, string? Owner = null);
