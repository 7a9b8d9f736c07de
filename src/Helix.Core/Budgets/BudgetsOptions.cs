namespace Helix.Core.Budgets;

/// <summary>Budget settings of the host, under <c>Helix:Budgets</c>.</summary>
public sealed class BudgetsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Helix:Budgets";

    /// <summary>The limit of the global daily budget created at first start (hard, UTC); 0 creates none. Default 100 USD.</summary>
    public decimal DefaultDailyUsd { get; set; } = 100m;

    /// <summary>How often the outbox of alert deliveries is polled (default 1 s; new alerts also wake it).</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first wait before a failed delivery is tried again from the outbox; doubles per failure up to 10 minutes.</summary>
    public TimeSpan DeliveryRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often anomaly detection runs (default 5 minutes).</summary>
    public TimeSpan AnomalyInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Spend above this multiple of the baseline is an anomaly (default 2).</summary>
    public decimal AnomalySpendFactor { get; set; } = 2m;

    /// <summary>Calls above this multiple of the baseline are an anomaly (default 3).</summary>
    public decimal AnomalyCallsFactor { get; set; } = 3m;

    /// <summary>Weeks of history the same-hour-of-week baseline averages (default 4).</summary>
    public int AnomalyBaselineWeeks { get; set; } = 4;

    /// <summary>Spend below this is never an anomaly, whatever its ratio (default 0.01 USD): noise on tiny baselines.</summary>
    public decimal AnomalyMinimumSpendUsd { get; set; } = 0.01m;

    /// <summary>Calls below this are never an anomaly, whatever their ratio (default 20).</summary>
    public long AnomalyMinimumCalls { get; set; } = 20;
}
