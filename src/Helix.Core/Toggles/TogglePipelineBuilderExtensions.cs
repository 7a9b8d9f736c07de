using Helix.Core.Pipeline;

namespace Helix.Core.Toggles;

/// <summary>Adds the kill switches to an operation pipeline.</summary>
public static class TogglePipelineBuilderExtensions
{
    /// <summary>Adds <see cref="KillSwitchStep"/> (per call, before <c>UseRouting</c>): a killed operation, or everything killed, answers <c>operation_disabled</c>.</summary>
    /// <remarks>Nothing is added when the builder's services have no <see cref="PipelineServices.Toggles"/>.</remarks>
    public static OperationPipelineBuilder UseToggles(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Services.Toggles is { } toggles ? builder.Use(new KillSwitchStep(toggles)) : builder;
    }

    /// <summary>Adds <see cref="ModelKillSwitchStep"/> (per model, right after <c>UseFailover</c>): a killed provider or model is skipped down the fallback chain.</summary>
    /// <remarks>Nothing is added when the builder's services have no <see cref="PipelineServices.Toggles"/>.</remarks>
    public static OperationPipelineBuilder UseModelKillSwitches(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Services.Toggles is { } toggles ? builder.Use(new ModelKillSwitchStep(toggles)) : builder;
    }
}
