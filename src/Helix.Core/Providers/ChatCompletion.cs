using Helix.Core.Metering;

namespace Helix.Core.Providers;

/// <summary>A complete chat response in the OpenAI <c>chat.completion</c> shape, with its usage.</summary>
/// <param name="Body">The UTF-8 JSON body: an OpenAI upstream's own body, or a translation of another provider's.</param>
/// <param name="Usage">The provider's usage, as meters.</param>
public sealed record ChatCompletion(ReadOnlyMemory<byte> Body, UsageReport Usage);
