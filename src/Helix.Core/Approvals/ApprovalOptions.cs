namespace Helix.Core.Approvals;

/// <summary>Host settings of the approval gate (<c>Helix:Approvals</c>).</summary>
public sealed class ApprovalOptions
{
    /// <summary>The configuration section: <c>Helix:Approvals</c>.</summary>
    public const string SectionName = "Helix:Approvals";

    /// <summary>The longest a caller may ask the gateway to hold a call for a decision (<c>X-Helix-Approval-Wait</c>).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>How long a request stays open to a decision and, once approved, to its one use. Default 1 hour.</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>At most this many calls held waiting for decisions at once; a call beyond it is answered at once.</summary>
    public int MaxWaiters { get; set; } = 1000;
}
