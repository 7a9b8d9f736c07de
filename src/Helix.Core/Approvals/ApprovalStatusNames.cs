namespace Helix.Core.Approvals;

/// <summary>The wire names of <see cref="ApprovalStatus"/>: <c>pending</c>, <c>approved</c>, <c>rejected</c>, <c>expired</c>, <c>consumed</c>.</summary>
public static class ApprovalStatusNames
{
    /// <summary>The wire name of <paramref name="status"/>.</summary>
    public static string Name(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.Rejected => "rejected",
        ApprovalStatus.Expired => "expired",
        ApprovalStatus.Consumed => "consumed",
        _ => "pending",
    };

    /// <summary>Reads a wire name (exact, lower case).</summary>
    public static bool TryParse(string? name, out ApprovalStatus status)
    {
        status = name switch
        {
            "pending" => ApprovalStatus.Pending,
            "approved" => ApprovalStatus.Approved,
            "rejected" => ApprovalStatus.Rejected,
            "expired" => ApprovalStatus.Expired,
            "consumed" => ApprovalStatus.Consumed,
            _ => (ApprovalStatus)(-1),
        };
        return (int)status >= 0;
    }
}
