using Helix.Core.Metering;

namespace Helix.Cli.Metering;

/// <summary>A response's usage and what kind of response it was read as.</summary>
/// <param name="Usage">The provider's usage, as the gateway's adapter reads it.</param>
/// <param name="Kind">What the body was read as (<c>chat.completion</c>, <c>embeddings</c>, …).</param>
internal sealed record MeteredResponse(UsageReport Usage, string Kind);
