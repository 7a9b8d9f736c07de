namespace Helix.Core.Toggles;

/// <summary>Settings of toggles, under <c>Helix:Toggles</c>: the locked toggles configuration adds to the built-in ones.</summary>
public sealed class TogglesOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Helix:Toggles";

    /// <summary>Locked toggles added by configuration (<c>Helix:Toggles:Locked:0:Name</c>, <c>…:Enabled</c>, …); they cannot change a built-in one.</summary>
    public IList<LockedToggleOptions> Locked { get; } = [];
}
