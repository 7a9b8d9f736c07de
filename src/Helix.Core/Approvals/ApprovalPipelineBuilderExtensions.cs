using Helix.Core.Pipeline;

namespace Helix.Core.Approvals;

/// <summary>Adds the approval gate to an operation pipeline.</summary>
public static class ApprovalPipelineBuilderExtensions
{
    /// <summary>Adds <see cref="ApprovalGate"/> (once per call: right after <c>UseRouting</c>); nothing when <paramref name="gate"/> is <see langword="null"/>.</summary>
    public static OperationPipelineBuilder UseApprovalGate(this OperationPipelineBuilder builder, ApprovalGate? gate)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return gate is null ? builder : builder.Use(gate);
    }
}
