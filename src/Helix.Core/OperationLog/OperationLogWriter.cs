using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Helix.Core.OperationLog;

/// <summary>Group commit: calls hand their rows and open attempts to one writer that commits them in batches.</summary>
/// <remarks>
/// <para>
/// Before each provider attempt the pipeline awaits <see cref="OpenAsync"/>, so a call that reached a provider is in
/// the store's journal even if the process dies during it; the attempt's final row, committed later through
/// <c>AppendAsync</c>, closes it in the same transaction. Both kinds share the queue and the batches.
/// </para>
/// <para>
/// A call awaits <c>AppendAsync</c> before it answers its caller, so nothing answered is ever lost; yet the
/// cost of durability is shared: while one batch commits, every row that arrives queues for the next, so under
/// load a single transaction carries many calls. With no load a batch is one call's rows, committed at once
/// (no timer to wait for), and on the calling thread: queueing work for an idle writer runs its loop in place, so
/// an unloaded call's commit costs no hand-off between threads.
/// </para>
/// <para>
/// A failing store (a full disk, a read-only database): a failed commit is retried with backoff; after
/// <see cref="FailuresBeforeUnavailable"/> failures in a row the store is known to be failing
/// (<see cref="IsStoreAvailable"/> turns false) and its callers get a <see cref="StoreUnavailableException"/> at
/// once instead of waiting. From then on <see cref="OpenAsync"/> refuses at once, so no provider is called that could
/// not be logged; rows handed to <c>AppendAsync</c> are refused to their caller at once too, but kept: the writer
/// holds every row it could not commit, in memory, and retries (or, with nothing held, probes the store with
/// <see cref="IOperationLogStore.ProbeWriteAsync"/>) every <see cref="MaxRetryDelay"/> at most, so what was billed
/// reaches the log, closing its open attempt with its real usage, as soon as the store recovers, without a restart.
/// Open attempts whose callers were refused are dropped (their provider is never called). Held rows are not
/// spilled to a file: the open attempt of each was made durable before its provider was called, so if the process
/// stops before the store recovers, start-up recovery still logs each such attempt (as interrupted, at its worst
/// case), and a spill file would sit on the very disk that is failing.
/// </para>
/// <para>
/// Disposing drains every queued row first (graceful shutdown); with the store still failing it gives up after
/// <see cref="CommitAttemptsOnShutdown"/> more tries and logs how many rows it leaves to start-up recovery. Thread-safe.
/// </para>
/// </remarks>
public sealed partial class OperationLogWriter : IAsyncDisposable
{
    internal const int MaxRowsPerBatch = 2048;

    /// <summary>Failed commits in a row after which the store is known to be failing.</summary>
    internal const int FailuresBeforeUnavailable = 3;

    /// <summary>Further failed commits a disposing writer tries before it leaves held rows to start-up recovery.</summary>
    internal const int CommitAttemptsOnShutdown = 5;

    /// <summary>The longest wait between two tries while the store fails.</summary>
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(10);

    private readonly IOperationLogStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    // Synchronous continuations: when the writer is idle, the call that queues work runs the writer's loop itself up to
    // the commit's first real wait (see RunAsync), so an unloaded call's rows commit on its own thread, with no hand-off.
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly Task _loop;
    private long _committedRows;
    private long _committedBatches;
    private long _lastSuccessTicks;
    private int _unavailable;
    private int _heldRows;
    private int _disposing;

    /// <summary>Starts a writer over <paramref name="store"/>.</summary>
    public OperationLogWriter(IOperationLogStore store, ILogger<OperationLogWriter> logger)
        : this(store, logger, TimeProvider.System)
    {
    }

    /// <summary>Starts a writer whose commit retries wait on <paramref name="time"/>.</summary>
    internal OperationLogWriter(IOperationLogStore store, ILogger<OperationLogWriter> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _logger = logger;
        _time = time;
        _lastSuccessTicks = time.GetTimestamp();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Rows committed since start.</summary>
    public long CommittedRows => Interlocked.Read(ref _committedRows);

    /// <summary>Batches committed since start.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>Whether the store takes writes, as far as the last commit or probe showed.</summary>
    public bool IsStoreAvailable => Volatile.Read(ref _unavailable) == 0;

    /// <summary>Rows the writer holds because the store refused them; committed once it recovers.</summary>
    public int HeldRows => Volatile.Read(ref _heldRows);

    /// <summary>How long ago the store last took a commit or a probe.</summary>
    public TimeSpan SinceLastSuccess => _time.GetElapsedTime(Interlocked.Read(ref _lastSuccessTicks));

    /// <summary>Queues rows and completes once they are durable.</summary>
    /// <remarks>While the store is failing the rows are kept and committed once it recovers, but the task fails at once.</remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="StoreUnavailableException">(From the task.) The store is failing; the rows are held.</exception>
    public Task AppendAsync(IReadOnlyList<OperationLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        var done = Enqueue(new Pending(entries, [], Probe: false));
        if (IsStoreAvailable)
        {
            return done;
        }

        // The caller is told now; the held rows' own task is observed here, so its failure is not reported twice.
        _ = done.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return Task.FromException(Unavailable(null));
    }

    /// <summary>Queues an open attempt and completes once it is durable; call it before the provider is called.</summary>
    /// <remarks>While the store is failing it fails at once, queueing nothing: the provider must not be called.</remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    /// <exception cref="StoreUnavailableException">(From the task.) The store is failing; the attempt was not opened.</exception>
    public Task OpenAsync(OpenAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return IsStoreAvailable
            ? Enqueue(new Pending([], [attempt], Probe: false))
            : Task.FromException(Unavailable(null));
    }

    /// <summary>Queues one row and completes once it is durable.</summary>
    public Task AppendAsync(OperationLogEntry entry) => AppendAsync([entry]);

    /// <summary>Checks, in turn with the commits, that the store takes writes; fails with <see cref="StoreUnavailableException"/> when not.</summary>
    /// <remarks>A probe that fails marks the store as failing; one that succeeds, or any commit, marks it as available.</remarks>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public Task ProbeAsync() => Enqueue(new Pending([], [], Probe: true));

    private Task Enqueue(Pending pending)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(OperationLogWriter), "The operation log is shut down; the rows were not accepted.");
        }

        return pending.Done.Task;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposing, 1);
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        var rows = new List<OperationLogEntry>();
        var opened = new List<OpenAttempt>();
        var reader = _queue.Reader;
        var failures = 0;
        var failuresWhileDisposing = 0;
        var delay = s_firstRetryDelay;
        while (true)
        {
            if (batch.Count == 0 && !await WaitForWorkAsync(reader, IsStoreAvailable ? null : delay))
            {
                return;
            }

            var rowCount = 0;
            foreach (var pending in batch)
            {
                rowCount += pending.Entries.Count + pending.Opened.Count;
            }

            while (rowCount < MaxRowsPerBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                rowCount += pending.Entries.Count + pending.Opened.Count;
            }

            rows.Clear();
            opened.Clear();
            var probing = false;
            foreach (var pending in batch)
            {
                rows.AddRange(pending.Entries);
                opened.AddRange(pending.Opened);
                probing |= pending.Probe;
            }

            try
            {
                if (rows.Count > 0 || opened.Count > 0)
                {
                    await _store.AppendAsync(rows, opened);
                }
                else
                {
                    // Only probes, or nothing at all: the store is checked while failing with nothing held.
                    await _store.ProbeWriteAsync();
                }
            }
            catch (Exception ex)
            {
                failures++;
                LogCommitFailed(_logger, ex, rows.Count, opened.Count, failures);
                if (failures >= FailuresBeforeUnavailable || probing || !IsStoreAvailable)
                {
                    MarkUnavailable(batch, ex);
                }

                if (Volatile.Read(ref _disposing) == 1 && ++failuresWhileDisposing >= CommitAttemptsOnShutdown)
                {
                    LogLeftToRecovery(_logger, ex, HeldRows);
                    batch.Clear();
                    Volatile.Write(ref _heldRows, 0);
                    continue;
                }

                if (batch.Count > 0)
                {
                    await Task.Delay(delay, _time);
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
                continue;
            }

            Interlocked.Add(ref _committedRows, rows.Count);
            if (rows.Count > 0 || opened.Count > 0)
            {
                Interlocked.Increment(ref _committedBatches);
            }

            Interlocked.Exchange(ref _lastSuccessTicks, _time.GetTimestamp());
            if (Interlocked.Exchange(ref _unavailable, 0) == 1)
            {
                LogStoreRecovered(_logger, rows.Count);
            }

            Volatile.Write(ref _heldRows, 0);
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult();
            }

            batch.Clear();
            rows.Clear();
            opened.Clear();
            failures = 0;
            failuresWhileDisposing = 0;
            delay = s_firstRetryDelay;

            // The loop may be running on the thread of a call that queued work while it was idle (the channel's
            // synchronous continuations): that call's rows are durable now, so with more work queued the loop moves
            // to the thread pool instead of keeping the call from answering. An idle writer goes back to waiting.
            if (reader.TryPeek(out _))
            {
                await Task.Yield();
            }
        }
    }

    // Waits for queued work; while the store is failing with nothing held, wakes after `probeAfter` to probe it.
    private async Task<bool> WaitForWorkAsync(ChannelReader<Pending> reader, TimeSpan? probeAfter)
    {
        if (probeAfter is not { } wait)
        {
            return await reader.WaitToReadAsync();
        }

        using var timer = new CancellationTokenSource(wait, _time);
        try
        {
            return await reader.WaitToReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            return !reader.Completion.IsCompleted;
        }
    }

    // Tells every waiter at once; keeps the rows (they were billed), drops open attempts and probes (nothing was spent).
    private void MarkUnavailable(List<Pending> batch, Exception failure)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            LogStoreUnavailable(_logger, failure);
        }

        var held = 0;
        var exception = Unavailable(failure);
        for (var i = batch.Count - 1; i >= 0; i--)
        {
            var pending = batch[i];
            pending.Done.TrySetException(exception);
            if (pending.Entries.Count == 0)
            {
                batch.RemoveAt(i);
            }
            else
            {
                held += pending.Entries.Count;
            }
        }

        Volatile.Write(ref _heldRows, held);
    }

    private static StoreUnavailableException Unavailable(Exception? failure) => new(
        "The operation log's store is failing (" + (failure?.Message ?? "it refused the last writes") + "); nothing is called that could not be logged.",
        failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing {Rows} operation log rows and {Opened} open attempts failed (try {Attempt}); retrying.")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int rows, int opened, int attempt);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The operation log's store is failing: calls are refused with 503 until it takes writes again; rows already billed are held and committed then.")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The operation log's store takes writes again; {Rows} held rows committed.")]
    private static partial void LogStoreRecovered(ILogger logger, int rows);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Shutting down with the store still failing: {Rows} held rows are not in the log; start-up recovery logs their open attempts as interrupted.")]
    private static partial void LogLeftToRecovery(ILogger logger, Exception exception, int rows);

    private sealed record Pending(IReadOnlyList<OperationLogEntry> Entries, IReadOnlyList<OpenAttempt> Opened, bool Probe)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
