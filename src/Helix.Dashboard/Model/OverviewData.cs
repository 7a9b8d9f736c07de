using Helix.Core.Budgets;
using Helix.Core.Insights;

namespace Helix.Dashboard.Model;

/// <summary>Everything the overview page shows for one range, read from the rollups, budgets and feedback.</summary>
public sealed record OverviewData
{
    /// <summary>The range shown.</summary>
    public required ViewRange Range { get; init; }

    /// <summary>The logged cost of the range.</summary>
    public decimal SpentUsd { get; init; }

    /// <summary>Calls (first attempts) in the range.</summary>
    public long Calls { get; init; }

    /// <summary>Attempts that failed or were interrupted.</summary>
    public long Failures { get; init; }

    /// <summary>Every budget, with its current period's spend and reservations (from memory).</summary>
    public IReadOnlyList<BudgetView> Budgets { get; init; } = [];

    /// <summary>Cost per operation, highest first.</summary>
    public IReadOnlyList<(string Operation, decimal Usd, long Calls)> CostByOperation { get; init; } = [];

    /// <summary>Attempts per model, most first.</summary>
    public IReadOnlyList<(string Model, long Attempts)> Models { get; init; } = [];

    /// <summary>The label of each time bucket.</summary>
    public string[] BucketLabels { get; init; } = [];

    /// <summary>Calls per bucket.</summary>
    public double[] CallsOverTime { get; init; } = [];

    /// <summary>Failed attempts per bucket.</summary>
    public double[] FailuresOverTime { get; init; } = [];

    /// <summary>Latency per model and hour of day (viewer's zone): p50 and p95 in ms, null where there was no call.</summary>
    public IReadOnlyList<LatencyRow> Latency { get; init; } = [];

    /// <summary>Feedback per model.</summary>
    public IReadOnlyList<ModelQuality> Quality { get; init; } = [];
}

/// <summary>One model's latency percentiles for each hour of the day.</summary>
/// <param name="Model">The model.</param>
/// <param name="P50">The median per hour of day (24 values, ms).</param>
/// <param name="P95">The 95th percentile per hour of day (24 values, ms).</param>
public sealed record LatencyRow(string Model, double?[] P50, double?[] P95);
