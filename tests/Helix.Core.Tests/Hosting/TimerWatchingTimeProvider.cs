using Microsoft.Extensions.Time.Testing;

namespace Helix.Core.Tests.Hosting;

/// <summary>A <see cref="FakeTimeProvider"/> that signals each timer it creates, so a test advances time only once a timer waits.</summary>
/// <remarks>A background service creates its timer on another thread; advancing the clock before then would be lost.</remarks>
internal sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start), IDisposable
{
    /// <summary>Released once per timer created.</summary>
    public SemaphoreSlim TimerCreated { get; } = new(0);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        TimerCreated.Release();
        return timer;
    }

    public void Dispose() => TimerCreated.Dispose();
}
