using Helix.Core.Metering;

namespace Helix.Core.Pipeline;

/// <summary>A provider's answer as the control plane sees it: whatever its payload, it has usage.</summary>
/// <remarks>
/// A complete answer's <see cref="Usage"/> is final. A stream (<see cref="IsStream"/>) is handed to the caller while
/// its attempt stays open; its usage is final once it ended, and its outcome ends the attempt then.
/// </remarks>
public interface IMeteredResponse
{
    /// <summary>What the provider reported, or <see cref="UsageReport.Unknown"/>.</summary>
    UsageReport Usage { get; }

    /// <summary>Whether the answer is a stream that ends after the pipeline returned.</summary>
    bool IsStream { get; }
}
