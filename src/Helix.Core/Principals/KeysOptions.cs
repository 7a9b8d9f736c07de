namespace Helix.Core.Principals;

/// <summary>How the key directory stays fresh, bound from <c>Helix:Keys</c>.</summary>
public sealed class KeysOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Helix:Keys";

    /// <summary>
    /// How often keys are reloaded from the store (catching changes made by another instance) and last-used times
    /// written to it; default 30 seconds. Changes made through this instance apply at once.
    /// </summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(30);
}
