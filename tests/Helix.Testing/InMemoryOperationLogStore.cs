using System.Runtime.CompilerServices;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;

namespace Helix.Testing;

/// <summary>An <see cref="IOperationLogStore"/> in memory, with a hook to make appends fail or wait.</summary>
/// <remarks>
/// Thread-safe. A batch is all or nothing: when <see cref="OnAppend"/> throws, no row of the batch is kept. Ids are
/// assigned from 1 in append order. Re-pricings reach rows through <see cref="ApplyCostAdjustments"/>, which
/// <see cref="InMemoryPriceStore"/> calls when it is given this store.
/// </remarks>
public sealed class InMemoryOperationLogStore : IOperationLogStore
{
    private readonly Lock _lock = new();
    private readonly List<OperationLogEntry> _entries = [];
    private readonly Dictionary<long, decimal?> _repriced = [];
    private readonly Dictionary<(string RequestId, int Attempt), OpenAttempt> _open = [];
    private long _batches;

    /// <summary>Called with each batch before it is stored; throw to fail the batch, await to slow it down.</summary>
    public Func<IReadOnlyList<OperationLogEntry>, CancellationToken, Task>? OnAppend { get; set; }

    /// <summary>A copy of every stored row, oldest first, with its id and re-priced cost.</summary>
    public IReadOnlyList<OperationLogEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries.Select(WithRepricing)];
            }
        }
    }

    /// <summary>A copy of every attempt opened and not yet closed, in no particular order.</summary>
    public IReadOnlyList<OpenAttempt> OpenAttempts
    {
        get
        {
            lock (_lock)
            {
                return [.. _open.Values];
            }
        }
    }

    /// <summary>How many batches were stored.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <inheritdoc/>
    public Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, CancellationToken cancellationToken = default) =>
        AppendAsync(entries, [], cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Runs <see cref="OnAppend"/> with no rows, so a fault injected there fails probes too.</remarks>
    public Task ProbeWriteAsync(CancellationToken cancellationToken = default) =>
        OnAppend is { } onAppend ? onAppend([], cancellationToken) : Task.CompletedTask;

    /// <inheritdoc/>
    public async Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(opened);
        if (entries.Count == 0 && opened.Count == 0)
        {
            return;
        }

        foreach (var entry in entries)
        {
            Validate(entry);
        }

        foreach (var attempt in opened)
        {
            Validate(attempt);
        }

        if (OnAppend is { } onAppend)
        {
            await onAppend(entries, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var attempt in opened)
            {
                if (_open.ContainsKey((attempt.RequestId, attempt.Attempt)))
                {
                    throw new InvalidOperationException($"Attempt {attempt.Attempt} of call {attempt.RequestId} is already open; the batch is not stored.");
                }
            }

            foreach (var attempt in opened)
            {
                _open.Add((attempt.RequestId, attempt.Attempt), attempt with { Timestamp = attempt.Timestamp.ToUniversalTime() });
            }

            foreach (var entry in entries)
            {
                Add(entry);
            }
        }

        Interlocked.Increment(ref _batches);
    }

    /// <inheritdoc/>
    public Task<int> RecoverOpenAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var left = _open.Values.Where(a => a.Timestamp <= now).OrderBy(a => a.Timestamp).ThenBy(a => a.RequestId, StringComparer.Ordinal).ThenBy(a => a.Attempt).ToList();
            foreach (var attempt in left)
            {
                Add(attempt.ToInterruptedEntry());
            }

            return Task.FromResult(left.Count);
        }
    }

    /// <inheritdoc/>
    public Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 1000);
        lock (_lock)
        {
            List<OperationLogEntry> items = [];
            for (var i = _entries.Count - 1; i >= 0 && items.Count <= limit; i--)
            {
                var entry = _entries[i];
                if ((query.BeforeId is null || entry.Id < query.BeforeId)
                    && (query.Operation is null || string.Equals(entry.Operation, query.Operation, StringComparison.Ordinal))
                    && (query.User is null || string.Equals(entry.User, query.User, StringComparison.Ordinal)))
                {
                    items.Add(WithRepricing(entry));
                }
            }

            if (items.Count <= limit)
            {
                return Task.FromResult(new LogPage(items, null));
            }

            items.RemoveAt(items.Count - 1);
            return Task.FromResult(new LogPage(items, items[^1].Id));
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<OperationLogEntry> ReadRangeAsync(
        DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        OperationLogEntry[] rows;
        lock (_lock)
        {
            rows = [.. _entries
                .Where(e => e.Timestamp >= from && e.Timestamp < to)
                .OrderBy(e => e.Timestamp)
                .ThenBy(e => e.Id)
                .Select(WithRepricing)];
        }

        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return row;
        }
    }

    /// <summary>Makes the latest of <paramref name="adjustments"/> for each row its re-priced cost.</summary>
    /// <exception cref="InvalidOperationException">An adjustment names a row that does not exist; nothing is applied.</exception>
    public void ApplyCostAdjustments(IReadOnlyList<CostAdjustment> adjustments)
    {
        ArgumentNullException.ThrowIfNull(adjustments);
        lock (_lock)
        {
            foreach (var adjustment in adjustments)
            {
                if (adjustment.LogId < 1 || adjustment.LogId > _entries.Count)
                {
                    throw new InvalidOperationException($"No operation log row has id {adjustment.LogId}.");
                }
            }

            foreach (var adjustment in adjustments)
            {
                _repriced[adjustment.LogId] = adjustment.CostUsd;
            }
        }
    }

    // Under the lock. The row closes its attempt: the journal is not the log, so removing from it keeps the log append-only.
    private void Add(OperationLogEntry entry)
    {
        // UTC, as a database gives instants back.
        _entries.Add(entry with { Id = _entries.Count + 1, Timestamp = entry.Timestamp.ToUniversalTime(), RepricedCostUsd = null });
        _open.Remove((entry.RequestId, entry.Attempt));
    }

    private OperationLogEntry WithRepricing(OperationLogEntry entry) =>
        _repriced.TryGetValue(entry.Id, out var repriced) ? entry with { RepricedCostUsd = repriced } : entry;

    // The same fields the SQL store's NOT NULL columns refuse, so that a fake-backed test fails where production would.
    private static void Validate(OperationLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.RequestId is null || entry.Operation is null || entry.Principal is null || entry.Provider is null || entry.Model is null)
        {
            throw new ArgumentException("An operation log row needs a request id, operation, principal, provider and model.", nameof(entry));
        }
    }

    private static void Validate(OpenAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.RequestId is null || attempt.Operation is null || attempt.Principal is null || attempt.Provider is null || attempt.Model is null)
        {
            throw new ArgumentException("An open attempt needs a request id, operation, principal, provider and model.", nameof(attempt));
        }
    }
}
