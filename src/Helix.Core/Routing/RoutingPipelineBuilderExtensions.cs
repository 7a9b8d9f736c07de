using Helix.Core.Pipeline;

namespace Helix.Core.Routing;

/// <summary>Adds routing to an operation pipeline.</summary>
public static class RoutingPipelineBuilderExtensions
{
    /// <summary>Adds <see cref="RoutingStep"/>: the route of the operation, from memory.</summary>
    public static OperationPipelineBuilder UseRouting(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(new RoutingStep(builder.Services.Routes));
    }
}
