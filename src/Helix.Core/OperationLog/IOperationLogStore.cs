namespace Helix.Core.OperationLog;

/// <summary>Durable, append-only storage of the operation log.</summary>
/// <remarks>
/// Implementations are thread-safe. <see cref="AppendAsync"/> commits a whole batch in one transaction and returns
/// only once it is durable; the <see cref="OperationLogWriter"/> calls it from one writer.
/// </remarks>
public interface IOperationLogStore
{
    /// <summary>Appends a batch in one transaction.</summary>
    Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Reads a page, newest first.</summary>
    Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads every row with <c>from &lt;= Timestamp &lt; to</c>, oldest first (for reconciliation and re-pricing).</summary>
    IAsyncEnumerable<OperationLogEntry> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
