namespace Helix.Core.Approvals;

/// <summary>A route's approval policy: when its calls need a human approval, and which models are approved for it.</summary>
/// <remarks>Immutable routing data; a change is a new instance, published whole by <see cref="ApprovalPolicyTable"/>.</remarks>
public sealed record RouteApprovalPolicy
{
    /// <summary>The operation (canonical name).</summary>
    public required string Operation { get; init; }

    /// <summary>When calls need an approval.</summary>
    public ApprovalPolicyKind Policy { get; init; } = ApprovalPolicyKind.Never;

    /// <summary>For <see cref="ApprovalPolicyKind.Above"/>: the worst-case cost in USD above which a call needs approval.</summary>
    public decimal? ThresholdUsd { get; init; }

    /// <summary>Whether the operation moves money; with <see cref="ApprovalPolicyKind.MoneyMoving"/>, each call needs approval.</summary>
    public bool MoneyMoving { get; init; }

    /// <summary>The models approved for the operation (catalog ids), for <see cref="ApprovalPolicyKind.NewModel"/>.</summary>
    public IReadOnlyList<string> ApprovedModels { get; init; } = [];

    /// <summary>When the policy last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who last changed it (a principal's id).</summary>
    public string UpdatedBy { get; init; } = "seed";

    /// <summary>The policy of an operation nobody configured: never.</summary>
    public static RouteApprovalPolicy None(string operation) => new() { Operation = operation };

    /// <summary>Whether <paramref name="modelId"/> is approved for the operation (ids compared ignoring case).</summary>
    public bool IsApproved(string modelId)
    {
        foreach (var approved in ApprovedModels)
        {
            if (string.Equals(approved, modelId, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
