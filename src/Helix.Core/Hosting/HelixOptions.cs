namespace Helix.Core.Hosting;

/// <summary>Settings of the control plane itself, under <c>Helix</c>.</summary>
public sealed class HelixOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Helix";

    /// <summary>How often routes and prices are reloaded from the store even without a change notice (default 5 minutes).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
}
