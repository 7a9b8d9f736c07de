using Helix.Core.Metering;

namespace Helix.Core.Pipeline;

/// <summary>A complete (not streamed) answer, as the control plane sees it: its usage.</summary>
/// <param name="Usage">What the provider reported.</param>
public sealed record CompleteAnswer(UsageReport Usage) : IMeteredResponse
{
    /// <inheritdoc/>
    public bool IsStream => false;
}
