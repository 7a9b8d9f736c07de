namespace Helix.Core.Hosting;

/// <summary>Settings of the control plane itself, under <c>Helix</c>.</summary>
public sealed class HelixOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Helix";

    /// <summary>How often routes and prices are reloaded from the store even without a change notice (default 5 minutes).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Start a chat call's provider request while its open-attempt record commits, holding back only its last byte
    /// (<c>Helix:OverlapRecordCommit</c>, off by default; see docs/durability.md).
    /// </summary>
    public bool OverlapRecordCommit { get; set; }
}
