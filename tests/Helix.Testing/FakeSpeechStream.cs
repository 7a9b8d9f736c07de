using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.Providers;

namespace Helix.Testing;

/// <summary>Audio that plays scripted buffers, then reports characters and seconds (or an error).</summary>
/// <remarks>
/// <see cref="BeforeBuffer"/> runs before each buffer with the reader's token: a hook for delays, gates and
/// cancellation. With <see cref="FailWith"/> set, the audio stops after <see cref="FailAfterBuffers"/> buffers and
/// reports the error, as adapters do. Not thread-safe, like a real stream.
/// </remarks>
public sealed class FakeSpeechStream : ISpeechStream
{
    private readonly long _characters;
    private readonly decimal _seconds;

    /// <summary>Creates audio of <paramref name="buffers"/>, billed as <paramref name="characters"/> and <paramref name="seconds"/>.</summary>
    public FakeSpeechStream(long characters, decimal seconds, params byte[][] buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        _characters = characters;
        _seconds = seconds;
        Buffers = buffers;
    }

    /// <summary>The audio, one buffer per read.</summary>
    public IReadOnlyList<byte[]> Buffers { get; }

    /// <summary>The error that ends the audio early, or <see langword="null"/>.</summary>
    public ProviderError? FailWith { get; init; }

    /// <summary>How many buffers are sent before <see cref="FailWith"/> ends the audio.</summary>
    public int FailAfterBuffers { get; init; }

    /// <summary>Runs before buffer number <c>i</c> (0-based).</summary>
    public Func<int, CancellationToken, Task>? BeforeBuffer { get; set; }

    /// <summary>Whether <see cref="DisposeAsync"/> ran.</summary>
    public bool IsDisposed { get; private set; }

    /// <inheritdoc/>
    public string ContentType { get; init; } = "audio/mpeg";

    /// <inheritdoc/>
    public UsageReport Usage { get; private set; } = UsageReport.Unknown();

    /// <inheritdoc/>
    public ProviderError? Error { get; private set; }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < Buffers.Count; i++)
        {
            if (FailWith is not null && i == FailAfterBuffers)
            {
                Error = FailWith;
                Usage = new UsageReport(new UsageMeters { Characters = _characters, AudioSeconds = _seconds * i / Buffers.Count }, IsKnown: true);
                yield break;
            }

            if (BeforeBuffer is { } before)
            {
                await before(i, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return Buffers[i];
        }

        Usage = new UsageReport(new UsageMeters { Characters = _characters, AudioSeconds = _seconds }, IsKnown: true);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        return ValueTask.CompletedTask;
    }
}
