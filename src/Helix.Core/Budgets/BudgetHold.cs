using System.Runtime.CompilerServices;

namespace Helix.Core.Budgets;

/// <summary>The reservation of one attempt: the counters it reserved against and the amount, until settled or released.</summary>
/// <remarks>
/// Reusable (the ledger resets it on each reservation) and allocation-free after construction. Ending it is
/// idempotent: of any number of <see cref="BudgetLedger.Settle"/> and <see cref="BudgetLedger.Release"/> calls, the
/// first wins and the rest do nothing. Thread-safe for ending; one reservation at a time.
/// </remarks>
public sealed class BudgetHold
{
    /// <summary>The most budgets one call can touch: four scopes, two periods each.</summary>
    internal const int MaxCounters = 8;

    private const int Idle = 0;
    private const int Held = 1;

    private Counters _counters;
    private int _state;

    /// <summary>The nano-dollars reserved against each counter.</summary>
    public long AmountNanos { get; private set; }

    /// <summary>How many budgets the reservation holds.</summary>
    public int Count { get; private set; }

    /// <summary>Whether the reservation is held (not yet settled or released).</summary>
    public bool IsHeld => Volatile.Read(ref _state) == Held;

    internal BudgetCounter this[int index] => _counters[index]!;

    internal void Begin(long amount)
    {
        for (var i = 0; i < Count; i++)
        {
            _counters[i] = null;
        }

        Count = 0;
        AmountNanos = amount;
    }

    internal void Add(BudgetCounter counter) => _counters[Count++] = counter;

    internal void MarkHeld() => Volatile.Write(ref _state, Held);

    /// <summary>Claims the right to end the reservation; true once.</summary>
    internal bool TryEnd() => Interlocked.CompareExchange(ref _state, Idle, Held) == Held;

    [InlineArray(MaxCounters)]
    private struct Counters
    {
        private BudgetCounter? _element;
    }
}
