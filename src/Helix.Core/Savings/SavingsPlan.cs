namespace Helix.Core.Savings;

/// <summary>A change to price against the log: for each operation, the model (and optionally the service tier) it would use.</summary>
/// <param name="Changes">The operations and what each would use instead.</param>
/// <param name="Days">How many days of the log to replay, ending now (1 to 366).</param>
public sealed record SavingsPlan(IReadOnlyList<PlannedChange> Changes, int Days = SavingsPlan.DefaultDays)
{
    /// <summary>The window replayed when none is given.</summary>
    public const int DefaultDays = 30;

    /// <summary>The longest window that may be replayed.</summary>
    public const int MaxDays = 366;
}
