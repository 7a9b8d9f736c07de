using System.Collections.Concurrent;
using Helix.Core.OperationLog;

namespace Helix.Core.Budgets;

/// <summary>Matches each attempt's log row to the reservation made for it, and settles it once the row is durable.</summary>
/// <remarks>
/// The open-attempt journal is the durable side of a reservation; this is the in-memory side, keyed like the
/// journal by request id and attempt number. A committed row settles its attempt's hold at the row's cost (a
/// failed or cancelled attempt logs 0, which releases it); a row without a hold (a call made before its budget
/// existed) counts as spend in its start's period. Each row is committed once, so each counts once. Thread-safe.
/// </remarks>
public sealed class BudgetSettlement
{
    private readonly ConcurrentDictionary<(string RequestId, int Attempt), BudgetHold> _open = new();
    private readonly BudgetLedger _ledger;
    private readonly IBudgetCoordinator? _coordinator;

    /// <summary>Creates the settlement.</summary>
    /// <param name="ledger">The budgets in memory.</param>
    /// <param name="coordinator">Gets back what reservations did not use across instances, or <see langword="null"/>.</param>
    public BudgetSettlement(BudgetLedger ledger, IBudgetCoordinator? coordinator = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        _ledger = ledger;
        _coordinator = coordinator;
    }

    /// <summary>Reservations held by attempts whose rows are not committed yet.</summary>
    public int OpenCount => _open.Count;

    /// <summary>Remembers the hold of an attempt until its row commits.</summary>
    public void Track(string requestId, int attempt, BudgetHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        _open[(requestId, attempt)] = hold;
    }

    /// <summary>Releases the hold of an attempt that will write no row (its journal record failed to commit).</summary>
    public void Release(string requestId, int attempt)
    {
        if (_open.TryRemove((requestId, attempt), out var hold) && BudgetLedger.Release(hold))
        {
            Uncover(hold, hold.AmountNanos);
        }
    }

    /// <summary>Settles the attempt of a committed row at its cost.</summary>
    public void OnCommitted(OperationLogEntry row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var actual = row.CostUsd is { } cost ? UsdNanos.Round(cost) : 0;
        if (_open.TryRemove((row.RequestId, row.Attempt), out var hold))
        {
            if (_ledger.Settle(hold, actual))
            {
                Uncover(hold, hold.AmountNanos - actual);
            }
        }
        else
        {
            _ledger.AddUnreserved(row.Operation, row.User, row.Principal, row.Timestamp, actual);
        }
    }

    private void Uncover(BudgetHold hold, long unusedNanos)
    {
        if (_coordinator is null || unusedNanos == 0 || hold.AmountNanos == 0)
        {
            return;
        }

        for (var i = 0; i < hold.Count; i++)
        {
            if (hold[i].Account.Config.Hard)
            {
                _coordinator.Uncover(hold[i], unusedNanos);
            }
        }
    }
}
