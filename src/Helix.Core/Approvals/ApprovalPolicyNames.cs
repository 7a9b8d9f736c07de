namespace Helix.Core.Approvals;

/// <summary>The wire names of <see cref="ApprovalPolicyKind"/>: <c>never</c>, <c>always</c>, <c>above</c>, <c>money-moving</c>, <c>new-model</c>.</summary>
public static class ApprovalPolicyNames
{
    /// <summary>Every name, in the order of the enum.</summary>
    public static IReadOnlyList<string> All { get; } = ["never", "always", "above", "money-moving", "new-model"];

    /// <summary>The wire name of <paramref name="kind"/>.</summary>
    public static string Name(ApprovalPolicyKind kind) => kind switch
    {
        ApprovalPolicyKind.Always => "always",
        ApprovalPolicyKind.Above => "above",
        ApprovalPolicyKind.MoneyMoving => "money-moving",
        ApprovalPolicyKind.NewModel => "new-model",
        _ => "never",
    };

    /// <summary>Reads a wire name (exact, lower case); names only, never numbers.</summary>
    public static bool TryParse(string? name, out ApprovalPolicyKind kind)
    {
        kind = name switch
        {
            "never" => ApprovalPolicyKind.Never,
            "always" => ApprovalPolicyKind.Always,
            "above" => ApprovalPolicyKind.Above,
            "money-moving" => ApprovalPolicyKind.MoneyMoving,
            "new-model" => ApprovalPolicyKind.NewModel,
            _ => (ApprovalPolicyKind)(-1),
        };
        return (int)kind >= 0;
    }
}
