using Helix.Core.Pipeline;

namespace Helix.Core.OperationLog;

/// <summary>Adds the operation log to an operation pipeline.</summary>
public static class OperationLogPipelineBuilderExtensions
{
    /// <summary>Adds <see cref="OperationLogStep"/>: the open-attempt journal and each attempt's row (per attempt).</summary>
    public static OperationPipelineBuilder UseOperationLog(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(new OperationLogStep(builder.Services.Log, builder.Services.Time, builder.Services.OverlapRecordCommit));
    }

    /// <summary>Adds <see cref="RefusedCallLogStep"/>: a row for a call none of whose models has a provider (per call, before failover).</summary>
    public static OperationPipelineBuilder UseRefusedCallLog(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(new RefusedCallLogStep(builder.Services.Log, builder.Services.Time));
    }
}
