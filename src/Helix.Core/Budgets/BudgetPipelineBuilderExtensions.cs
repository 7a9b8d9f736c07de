using Helix.Core.Pipeline;

namespace Helix.Core.Budgets;

/// <summary>Adds budget reservation to an operation pipeline.</summary>
public static class BudgetPipelineBuilderExtensions
{
    /// <summary>Adds <see cref="BudgetReservation"/> (per attempt: after <c>UseRetry</c>, before <c>UseOperationLog</c>); nothing when <paramref name="reservation"/> is <see langword="null"/>.</summary>
    public static OperationPipelineBuilder UseBudgetReservation(this OperationPipelineBuilder builder, BudgetReservation? reservation)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return reservation is null ? builder : builder.Use(reservation);
    }
}
