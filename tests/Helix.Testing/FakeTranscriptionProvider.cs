using System.Collections.Concurrent;
using Helix.Core.Metering;
using Helix.Core.Providers;

namespace Helix.Testing;

/// <summary>A transcription provider whose answers are scripted by a delegate; records every call it receives.</summary>
/// <remarks>Thread-safe as long as the delegate is. Unscripted calls answer "hello" for the call's duration (or 1 s).</remarks>
public sealed class FakeTranscriptionProvider : ITranscriptionProvider
{
    private readonly ConcurrentQueue<TranscriptionCall> _calls = new();

    /// <summary>Creates a provider named <paramref name="name"/>.</summary>
    public FakeTranscriptionProvider(string name = "fake")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Answers <see cref="TranscribeAsync"/>.</summary>
    public Func<TranscriptionCall, CancellationToken, Task<ProviderResult<Transcript>>> OnTranscribe { get; set; } =
        (call, _) => Task.FromResult(ProviderResult<Transcript>.Success(Transcript("hello", call.DurationSeconds ?? 1m)));

    /// <summary>Every call received, in order.</summary>
    public IReadOnlyList<TranscriptionCall> Calls => [.. _calls];

    /// <inheritdoc/>
    public Task<ProviderResult<Transcript>> TranscribeAsync(TranscriptionCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        _calls.Enqueue(call);
        return OnTranscribe(call, cancellationToken);
    }

    /// <summary>A transcript of <paramref name="text"/> billed as <paramref name="seconds"/> of audio.</summary>
    public static Transcript Transcript(string text, decimal seconds) =>
        new(text, "en", seconds, [new TranscriptSegment(0m, seconds, text)],
            new UsageReport(new UsageMeters { AudioSeconds = seconds }, IsKnown: true, "fake-transcriber"));
}
