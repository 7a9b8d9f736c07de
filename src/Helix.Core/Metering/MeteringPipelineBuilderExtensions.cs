using Helix.Core.Pipeline;

namespace Helix.Core.Metering;

/// <summary>Adds metering and pricing to an operation pipeline.</summary>
public static class MeteringPipelineBuilderExtensions
{
    /// <summary>Adds <see cref="MeteringStep"/>: each attempt is metered and priced when it ends (per attempt).</summary>
    public static OperationPipelineBuilder UseMetering(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        return builder.Use(new MeteringStep(services.Costs, services.Alerts, services.Time));
    }
}
