namespace Helix.Core.Approvals;

/// <summary>Calls held in process until their approval request is decided; a decision signals them.</summary>
/// <remarks>
/// Thread-safe. Waiters of one request share one signal; the last to leave removes it, so nothing outlives its
/// waiters. Bounded: past <see cref="ApprovalOptions.MaxWaiters"/> a wait returns at once. A cancelled or timed-out
/// wait only stops waiting; it changes no request.
/// </remarks>
public sealed class ApprovalWaiters
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly int _max;
    private readonly TimeProvider _time;
    private int _count;

    /// <summary>Creates the registry.</summary>
    public ApprovalWaiters(ApprovalOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _max = options.MaxWaiters;
        _time = time;
    }

    /// <summary>How many calls wait now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Waits until <paramref name="id"/> is decided, <paramref name="timeout"/> passes or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="id">The request.</param>
    /// <param name="isDecided">Checked once the wait is registered, so a decision made just before is not missed.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>Whether a decision was signalled (or had been made); <see langword="false"/> on timeout or when no place was free.</returns>
    /// <exception cref="OperationCanceledException">The caller went away.</exception>
    public async Task<bool> WaitAsync(string id, Func<CancellationToken, Task<bool>> isDecided, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(isDecided);
        Entry? entry;
        lock (_lock)
        {
            if (_count >= _max)
            {
                return false;
            }

            if (!_entries.TryGetValue(id, out entry))
            {
                entry = new Entry();
                _entries[id] = entry;
            }

            entry.Waiters++;
            _count++;
        }

        try
        {
            if (await isDecided(cancellationToken))
            {
                return true;
            }

            using var timer = new CancellationTokenSource(timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
            try
            {
                await entry.Signal.Task.WaitAsync(linked.Token);
                return true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
        finally
        {
            lock (_lock)
            {
                _count--;
                if (--entry.Waiters == 0 && _entries.TryGetValue(id, out var current) && ReferenceEquals(current, entry))
                {
                    _entries.Remove(id);
                }
            }
        }
    }

    /// <summary>Wakes every call waiting for <paramref name="id"/>.</summary>
    public void Signal(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Entry? entry;
        lock (_lock)
        {
            if (!_entries.Remove(id, out entry))
            {
                return;
            }
        }

        entry.Signal.TrySetResult();
    }

    private sealed class Entry
    {
        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Waiters { get; set; }
    }
}
