using Helix.Core.Pipeline;

namespace Helix.Core.Budgets;

/// <summary>Reserves each attempt's worst-case cost against every budget the call touches, before the provider is called.</summary>
/// <remarks>
/// In memory only: no storage round trip on the request path. The reservation is tracked by request id and attempt
/// number until the attempt's log row commits and settles it (<see cref="BudgetSettlingLogStore"/>). A model without a
/// price reserves nothing, yet an exhausted hard budget still refuses it. Thread-safe; one instance serves every call.
/// </remarks>
public sealed class BudgetReservation
{
    private readonly BudgetLedger _ledger;
    private readonly BudgetSettlement _settlement;
    private readonly TimeProvider _time;

    public BudgetReservation(BudgetLedger ledger, BudgetSettlement settlement, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(settlement);
        ArgumentNullException.ThrowIfNull(time);
        _ledger = ledger;
        _settlement = settlement;
        _time = time;
    }

    /// <summary>Reserves an attempt's worst case, or says which hard budget refuses it.</summary>
    /// <returns><see langword="null"/> when reserved; else a <c>budget_exceeded</c> error to answer with.</returns>
    public GatewayError? TryReserve(OperationRequest request, int attempt, decimal? worstCaseUsd)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hold = new BudgetHold();
        var amount = worstCaseUsd is { } usd ? UsdNanos.Ceiling(usd) : 0;
        if (!_ledger.TryReserve(hold, request.Operation, request.User, request.Principal, amount, out var refusal))
        {
            return BudgetErrors.Exceeded(refusal, _time.GetUtcNow());
        }

        _settlement.Track(request.RequestId, attempt, hold);
        return null;
    }

    /// <summary>Releases an attempt's reservation when the attempt will write no log row.</summary>
    public void Release(string requestId, int attempt) => _settlement.Release(requestId, attempt);
}
