using Helix.Core.Metering;

namespace Helix.Core.Providers;

/// <summary>An open chat stream from a provider, translated to OpenAI chunks.</summary>
/// <remarks>
/// Enumerate <see cref="ReadAsync"/> once. After the enumeration ends, normally or not, <see cref="Usage"/> holds
/// what the provider reported (or <see cref="UsageReport.Unknown"/> when the stream ended before its usage),
/// <see cref="Error"/> says why it ended early, and <see cref="StreamedText"/> what was produced (for estimates).
/// Not thread-safe. Disposing releases the connection.
/// </remarks>
public interface IChatCompletionStream : IAsyncDisposable
{
    /// <summary>The chunks, in order.</summary>
    IAsyncEnumerable<StreamChunk> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>The usage reported by the provider, once the stream ended.</summary>
    UsageReport Usage { get; }

    /// <summary>Why the stream ended early, or <see langword="null"/>.</summary>
    ProviderError? Error { get; }

    /// <summary>The text and reasoning text produced so far.</summary>
    string StreamedText { get; }
}
