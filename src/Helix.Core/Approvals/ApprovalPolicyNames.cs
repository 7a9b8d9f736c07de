namespace Helix.Core.Approvals;

/// <summary>
/// The wire names of <see cref="ApprovalPolicyKind"/>: <c>never</c>, <c>always</c>, <c>above</c>, <c>money-moving</c>,
/// <c>new-model</c>, and <c>recommendation</c> (a request's policy only, never a route's).
/// </summary>
public static class ApprovalPolicyNames
{
    /// <summary>Every name a route may take, in the order of the enum (not <c>recommendation</c>).</summary>
    public static IReadOnlyList<string> All { get; } = ["never", "always", "above", "money-moving", "new-model"];

    /// <summary>The wire name of <paramref name="kind"/>.</summary>
    public static string Name(ApprovalPolicyKind kind) => kind switch
    {
        ApprovalPolicyKind.Always => "always",
        ApprovalPolicyKind.Above => "above",
        ApprovalPolicyKind.MoneyMoving => "money-moving",
        ApprovalPolicyKind.NewModel => "new-model",
        ApprovalPolicyKind.Recommendation => "recommendation",
        _ => "never",
    };

    /// <summary>Reads a wire name (exact, lower case); names only, never numbers. <c>recommendation</c> is read too: check <see cref="IsRoutePolicy"/> before setting a route's.</summary>
    public static bool TryParse(string? name, out ApprovalPolicyKind kind)
    {
        kind = name switch
        {
            "never" => ApprovalPolicyKind.Never,
            "always" => ApprovalPolicyKind.Always,
            "above" => ApprovalPolicyKind.Above,
            "money-moving" => ApprovalPolicyKind.MoneyMoving,
            "new-model" => ApprovalPolicyKind.NewModel,
            "recommendation" => ApprovalPolicyKind.Recommendation,
            _ => (ApprovalPolicyKind)(-1),
        };
        return (int)kind >= 0;
    }

    /// <summary>Whether <paramref name="kind"/> may be a route's policy (every kind but <see cref="ApprovalPolicyKind.Recommendation"/>).</summary>
    public static bool IsRoutePolicy(ApprovalPolicyKind kind) => kind is >= ApprovalPolicyKind.Never and < ApprovalPolicyKind.Recommendation;
}
