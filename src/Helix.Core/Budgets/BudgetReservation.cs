using System.Runtime.CompilerServices;
using Helix.Core.Pipeline;

namespace Helix.Core.Budgets;

/// <summary>The pipeline step that reserves each attempt's worst-case cost against every budget the call touches.</summary>
/// <remarks>
/// <para>
/// Per attempt, before the operation log journals it: in memory only, no storage round trip. A hard budget without
/// room stops the call with HTTP 429 <c>budget_exceeded</c> naming the budget and its reset time, before any
/// provider is called. A reservation is tracked by request id and attempt number until the attempt's log row
/// commits and settles it (<see cref="BudgetSettlingLogStore"/>): at the row's cost, so a failed, cancelled or
/// unsent attempt (logged at 0) releases it; if the journal record itself cannot be written, the step releases it.
/// A model without a price reserves nothing, yet an exhausted hard budget still refuses it.
/// </para>
/// <para>Thread-safe; one instance serves every call.</para>
/// </remarks>
public sealed class BudgetReservation : IOperationStep
{
    private readonly BudgetLedger _ledger;
    private readonly BudgetSettlement _settlement;
    private readonly TimeProvider _time;
    private readonly IBudgetCoordinator? _coordinator;

    /// <summary>Creates the step.</summary>
    /// <param name="ledger">The budgets in memory.</param>
    /// <param name="settlement">Where reservations wait for their rows.</param>
    /// <param name="time">The clock of refusals.</param>
    /// <param name="coordinator">Covers hard budgets across instances sharing a store, or <see langword="null"/> for one instance.</param>
    public BudgetReservation(BudgetLedger ledger, BudgetSettlement settlement, TimeProvider time, IBudgetCoordinator? coordinator = null)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(settlement);
        ArgumentNullException.ThrowIfNull(time);
        _ledger = ledger;
        _settlement = settlement;
        _time = time;
        _coordinator = coordinator;
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var attempt = context.Attempt ?? throw new InvalidOperationException("The budget reservation runs per attempt: add it after UseRetry.");
        var refused = _coordinator is null
            ? TryReserve(context.RequestId, attempt.Number, context.Operation, context.User, context.Principal.Id, attempt.EstimatedCostUsd)
            : await TryReserveAcrossInstancesAsync(context.RequestId, attempt.Number, context.Operation, context.User, context.Principal.Id, attempt.EstimatedCostUsd, context.CancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            return await next(context);
        }
        catch (Exception) when (!attempt.HasEnded)
        {
            _settlement.Release(context.RequestId, attempt.Number);
            throw;
        }
    }

    /// <summary>Reserves an attempt's worst case, or says which hard budget refuses it.</summary>
    /// <returns><see langword="null"/> when reserved; else a <c>budget_exceeded</c> error to answer with.</returns>
    public GatewayError? TryReserve(string requestId, int attempt, string operation, string? user, string? key, decimal? worstCaseUsd)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ArgumentNullException.ThrowIfNull(operation);
        var hold = new BudgetHold();
        var amount = worstCaseUsd is { } usd ? UsdNanos.Ceiling(usd) : 0;
        if (!_ledger.TryReserve(hold, operation, user, key, amount, out var refusal))
        {
            return BudgetErrors.Exceeded(refusal, _time.GetUtcNow());
        }

        _settlement.Track(requestId, attempt, hold);
        return null;
    }

    // The ledger first (in memory, exact for this instance), then each hard budget covered from this instance's share
    // of it; a budget without room across the instances releases everything taken, as a refusal in memory would.
    private async ValueTask<GatewayError?> TryReserveAcrossInstancesAsync(
        string requestId, int attempt, string operation, string? user, string? key, decimal? worstCaseUsd, CancellationToken cancellationToken)
    {
        var hold = new BudgetHold();
        var amount = worstCaseUsd is { } usd ? UsdNanos.Ceiling(usd) : 0;
        if (!_ledger.TryReserve(hold, operation, user, key, amount, out var refusal))
        {
            return BudgetErrors.Exceeded(refusal, _time.GetUtcNow());
        }

        if (amount > 0)
        {
            for (var i = 0; i < hold.Count; i++)
            {
                var counter = hold[i];
                if (!counter.Account.Config.Hard || await _coordinator!.TryCoverAsync(counter, amount, cancellationToken))
                {
                    continue;
                }

                for (var j = 0; j < i; j++)
                {
                    if (hold[j].Account.Config.Hard)
                    {
                        _coordinator!.Uncover(hold[j], amount);
                    }
                }

                BudgetLedger.Release(hold);
                return BudgetErrors.Exceeded(new BudgetRefusal(counter.Account, counter.Window.End), _time.GetUtcNow());
            }
        }

        _settlement.Track(requestId, attempt, hold);
        return null;
    }
}
