using Helix.Core.Metering;

namespace Helix.Core.Providers;

/// <summary>An embeddings answer: the OpenAI-shaped body to return to the caller and the provider's usage.</summary>
/// <param name="Body">UTF-8 JSON in the OpenAI <c>/v1/embeddings</c> response shape.</param>
/// <param name="Usage">The usage the provider reported (input tokens), or unknown.</param>
public sealed record EmbeddingsResponse(ReadOnlyMemory<byte> Body, UsageReport Usage);
