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
/// (no timer to wait for).
/// </para>
/// <para>
/// A failed commit is retried with backoff (10 ms doubling to 2 s, 50 tries: about a minute and a half) while its
/// callers wait; if the store stays down that long, the callers get the store's exception rather than waiting for
/// ever. Disposing drains every queued row first (graceful shutdown). Thread-safe.
/// </para>
/// </remarks>
public sealed partial class OperationLogWriter : IAsyncDisposable
{
    internal const int MaxRowsPerBatch = 2048;
    internal const int MaxCommitAttempts = 50;

    private readonly IOperationLogStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly Task _loop;
    private long _committedRows;
    private long _committedBatches;

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
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Rows committed since start.</summary>
    public long CommittedRows => Interlocked.Read(ref _committedRows);

    /// <summary>Batches committed since start.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>Queues rows and completes once they are durable.</summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public Task AppendAsync(IReadOnlyList<OperationLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        return Enqueue(entries, []);
    }

    /// <summary>Queues an open attempt and completes once it is durable; call it before the provider is called.</summary>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public Task OpenAsync(OpenAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return Enqueue([], [attempt]);
    }

    /// <summary>Queues one row and completes once it is durable.</summary>
    public Task AppendAsync(OperationLogEntry entry) => AppendAsync([entry]);

    private Task Enqueue(IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened)
    {
        var pending = new Pending(entries, opened, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(OperationLogWriter), "The operation log is shut down; the rows were not accepted.");
        }

        return pending.Done.Task;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        var rows = new List<OperationLogEntry>();
        var opened = new List<OpenAttempt>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            rows.Clear();
            opened.Clear();
            while (rows.Count + opened.Count < MaxRowsPerBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                rows.AddRange(pending.Entries);
                opened.AddRange(pending.Opened);
            }

            await CommitAsync(batch, rows, opened);
        }
    }

    private async Task CommitAsync(List<Pending> batch, List<OperationLogEntry> rows, List<OpenAttempt> opened)
    {
        var delay = TimeSpan.FromMilliseconds(10);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.AppendAsync(rows, opened);
                Interlocked.Add(ref _committedRows, rows.Count);
                Interlocked.Increment(ref _committedBatches);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetResult();
                }

                return;
            }
            catch (Exception ex) when (attempt < MaxCommitAttempts)
            {
                LogCommitFailed(_logger, ex, rows.Count, opened.Count, attempt);
                await Task.Delay(delay, _time);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
            catch (Exception ex)
            {
                LogCommitAbandoned(_logger, ex, rows.Count, opened.Count);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }

                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing {Rows} operation log rows and {Opened} open attempts failed (attempt {Attempt}); retrying.")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int rows, int opened, int attempt);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Committing {Rows} operation log rows and {Opened} open attempts failed for good; their callers are told.")]
    private static partial void LogCommitAbandoned(ILogger logger, Exception exception, int rows, int opened);

    private sealed record Pending(IReadOnlyList<OperationLogEntry> Entries, IReadOnlyList<OpenAttempt> Opened, TaskCompletionSource Done);
}
