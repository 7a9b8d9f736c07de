using Helix.Core.Pipeline;

namespace Helix.Core.Experiments;

/// <summary>Adds experiments to an operation pipeline.</summary>
public static class ExperimentPipelineBuilderExtensions
{
    /// <summary>Adds <see cref="ExperimentStep"/> when the pipeline's services have an <see cref="ExperimentTable"/>; add it right after <c>UseRouting</c>.</summary>
    public static OperationPipelineBuilder UseExperiments(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Services.Experiments is { } experiments
            ? builder.Use(new ExperimentStep(experiments, builder.Services.Routes))
            : builder;
    }
}
