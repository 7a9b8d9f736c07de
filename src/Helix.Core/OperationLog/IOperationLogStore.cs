namespace Helix.Core.OperationLog;

/// <summary>Durable, append-only storage of the operation log and of its journal of open attempts.</summary>
/// <remarks>
/// Implementations are thread-safe. <see cref="AppendAsync(IReadOnlyList{OperationLogEntry}, IReadOnlyList{OpenAttempt}, CancellationToken)"/>
/// commits a whole batch in one transaction and returns only once it is durable; the <see cref="OperationLogWriter"/>
/// calls it from one writer.
/// </remarks>
public interface IOperationLogStore
{
    /// <summary>Appends a batch of rows in one transaction.</summary>
    Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, CancellationToken cancellationToken = default) =>
        AppendAsync(entries, [], cancellationToken);

    /// <summary>Opens attempts and appends rows in one transaction.</summary>
    /// <remarks>
    /// The attempts in <paramref name="opened"/> are stored first; then each row is stored and closes the open attempt
    /// with its request id and attempt number, if there is one, in the same transaction.
    /// </remarks>
    Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened, CancellationToken cancellationToken = default);

    /// <summary>Checks that the store takes writes now, leaving no trace; throws the store's failure when it does not.</summary>
    /// <remarks>
    /// The <see cref="OperationLogWriter"/> calls it to notice a failing store between calls (a read-only or full
    /// database) and to notice its recovery. The default commits an empty batch; stores whose empty commit writes
    /// nothing override it with a write that is rolled back or undone in the same transaction.
    /// </remarks>
    Task ProbeWriteAsync(CancellationToken cancellationToken = default) => AppendAsync([], [], cancellationToken);

    /// <summary>Turns every attempt opened at or before <paramref name="now"/> and still open into an interrupted row.</summary>
    /// <remarks>
    /// Call it at start-up, before calls are served: an attempt still open then was left by a process that died during
    /// the call. Each becomes <see cref="OpenAttempt.ToInterruptedEntry"/> and is closed, all in one transaction.
    /// </remarks>
    /// <returns>How many attempts were recovered.</returns>
    Task<int> RecoverOpenAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Reads a page, newest first.</summary>
    Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads every row with <c>from &lt;= Timestamp &lt; to</c>, oldest first (for reconciliation and re-pricing).</summary>
    IAsyncEnumerable<OperationLogEntry> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
