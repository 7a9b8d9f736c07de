using Helix.Core.OperationLog;

namespace Helix.Gateway.Tests.Durability;

/// <summary>The real SQLite log store, whose commits of open-attempt records can be held, then let through or failed, when told.</summary>
public sealed class RecordGateLogStore(IOperationLogStore inner) : IOperationLogStore
{
    private volatile TaskCompletionSource? _gate;
    private volatile Exception? _failure;
    private int _held;

    /// <summary>Commits of records waiting at the gate now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>From now on, every commit carrying an open-attempt record waits until <see cref="Release"/> or <see cref="Fail"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the held commits (and every later one) through.</summary>
    public void Release()
    {
        _failure = null;
        Open()?.TrySetResult();
    }

    /// <summary>Fails the held commits of records with <paramref name="error"/>, and every later one until <see cref="Release"/>.</summary>
    public void Fail(Exception error)
    {
        _failure = error;
        Open()?.TrySetException(error);
    }

    public async Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened, CancellationToken cancellationToken = default)
    {
        if (opened.Count > 0 && _failure is { } failure)
        {
            throw failure;
        }

        if (opened.Count > 0 && _gate is { } gate)
        {
            Interlocked.Increment(ref _held);
            try
            {
                await gate.Task;
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }

        await inner.AppendAsync(entries, opened, cancellationToken);
    }

    public Task ProbeWriteAsync(CancellationToken cancellationToken = default) => inner.ProbeWriteAsync(cancellationToken);

    public Task<int> RecoverOpenAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.RecoverOpenAttemptsAsync(now, cancellationToken);

    public Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<OperationLogEntry> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(from, to, cancellationToken);

    private TaskCompletionSource? Open()
    {
        var gate = _gate;
        _gate = null;
        return gate;
    }
}
