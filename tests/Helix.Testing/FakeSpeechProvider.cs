using System.Collections.Concurrent;
using Helix.Core.Providers;

namespace Helix.Testing;

/// <summary>A speech provider whose answers are scripted by a delegate; records every call it receives.</summary>
/// <remarks>Thread-safe as long as the delegate is. Unscripted calls open a <see cref="FakeSpeechStream"/> of two buffers.</remarks>
public sealed class FakeSpeechProvider : ISpeechProvider
{
    private readonly ConcurrentQueue<SpeechCall> _calls = new();

    /// <summary>Creates a provider named <paramref name="name"/>.</summary>
    public FakeSpeechProvider(string name = "fake")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Answers <see cref="SynthesizeAsync"/>.</summary>
    public Func<SpeechCall, CancellationToken, Task<ProviderResult<ISpeechStream>>> OnSynthesize { get; set; } =
        (call, _) => Task.FromResult(ProviderResult<ISpeechStream>.Success(new FakeSpeechStream(call.Input.Length, 2m, [1, 2, 3], [4, 5])));

    /// <summary>Every call received, in order.</summary>
    public IReadOnlyList<SpeechCall> Calls => [.. _calls];

    /// <inheritdoc/>
    public Task<ProviderResult<ISpeechStream>> SynthesizeAsync(SpeechCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        _calls.Enqueue(call);
        return OnSynthesize(call, cancellationToken);
    }
}
