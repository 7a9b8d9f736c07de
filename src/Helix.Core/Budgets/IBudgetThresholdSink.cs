namespace Helix.Core.Budgets;

/// <summary>Told when a budget's spend crosses a threshold, once per threshold per period in this process.</summary>
/// <remarks>Called where attempts settle, right after their rows commit: implementations queue and return at once.</remarks>
public interface IBudgetThresholdSink
{
    /// <summary>Takes a crossing.</summary>
    void Crossed(BudgetThresholdCrossing crossing);
}
