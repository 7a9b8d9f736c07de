using Helix.Core.Pipeline;

namespace Helix.Core.Telemetry;

/// <summary>Adds OpenTelemetry-conventional traces and metrics to an operation pipeline.</summary>
public static class TelemetryPipelineBuilderExtensions
{
    /// <summary>Adds <see cref="TelemetryStep"/> (per call; best placed first, so it sees every call).</summary>
    public static OperationPipelineBuilder UseTelemetry(this OperationPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(new TelemetryStep(builder.Services.Time));
    }
}
