using Helix.Core.OperationLog;

namespace Helix.Core.Budgets;

/// <summary>An operation log store that settles each row's budget reservation once the row is durable.</summary>
/// <remarks>
/// Wraps the real store under the group-commit writer: settlement happens on the writer's loop after the batch
/// committed, so spend in memory never runs ahead of the log it is rebuilt from. Thread-safe if the inner store is.
/// </remarks>
public sealed class BudgetSettlingLogStore : IOperationLogStore
{
    private readonly IOperationLogStore _inner;
    private readonly BudgetSettlement _settlement;

    public BudgetSettlingLogStore(IOperationLogStore inner, BudgetSettlement settlement)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(settlement);
        _inner = inner;
        _settlement = settlement;
    }

    /// <inheritdoc/>
    public async Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened, CancellationToken cancellationToken = default)
    {
        await _inner.AppendAsync(entries, opened, cancellationToken);
        foreach (var entry in entries)
        {
            _settlement.OnCommitted(entry);
        }
    }

    /// <inheritdoc/>
    public Task<int> RecoverOpenAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _inner.RecoverOpenAttemptsAsync(now, cancellationToken);

    /// <inheritdoc/>
    public Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default) =>
        _inner.QueryAsync(query, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<OperationLogEntry> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _inner.ReadRangeAsync(from, to, cancellationToken);
}
