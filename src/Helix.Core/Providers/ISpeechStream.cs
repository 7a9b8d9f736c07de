using Helix.Core.Metering;

namespace Helix.Core.Providers;

/// <summary>Audio coming back from a speech provider, read once, as it arrives.</summary>
/// <remarks>
/// <see cref="Usage"/> and <see cref="Error"/> are final once <see cref="ReadAsync"/> has ended (or the stream is
/// disposed): characters are known from the request, audio seconds from what was received.
/// </remarks>
public interface ISpeechStream : IAsyncDisposable
{
    /// <summary>The media type of the audio (<c>audio/mpeg</c>, <c>audio/wav</c>, …).</summary>
    string ContentType { get; }

    /// <summary>The audio bytes, in order, as they arrive; a buffer is valid until the next one is asked for.</summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>What the provider bills: characters, and the audio seconds produced.</summary>
    UsageReport Usage { get; }

    /// <summary>Why the audio ended early, if it did.</summary>
    ProviderError? Error { get; }
}
