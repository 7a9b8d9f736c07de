using Helix.Core.OperationLog;
using Microsoft.Data.Sqlite;

namespace Helix.Gateway.Tests.Durability;

/// <summary>The real SQLite log store, with writes that fail as a full disk or a read-only database makes them fail, when told.</summary>
public sealed class FaultInjectingLogStore(IOperationLogStore inner) : IOperationLogStore
{
    private volatile Func<Exception>? _fault;

    public static Exception DiskFull() => new SqliteException("SQLite Error 13: 'database or disk is full'.", 13);

    public static Exception ReadOnly() => new SqliteException("SQLite Error 8: 'attempt to write a readonly database'.", 8);

    /// <summary>What every write throws from now on; <see langword="null"/> to let writes through.</summary>
    public Func<Exception>? Fault
    {
        get => _fault;
        set => _fault = value;
    }

    public Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened, CancellationToken cancellationToken = default) =>
        _fault is { } fault ? throw fault() : inner.AppendAsync(entries, opened, cancellationToken);

    public Task ProbeWriteAsync(CancellationToken cancellationToken = default) =>
        _fault is { } fault ? throw fault() : inner.ProbeWriteAsync(cancellationToken);

    public Task<int> RecoverOpenAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _fault is { } fault ? throw fault() : inner.RecoverOpenAttemptsAsync(now, cancellationToken);

    public Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public IAsyncEnumerable<OperationLogEntry> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(from, to, cancellationToken);
}
