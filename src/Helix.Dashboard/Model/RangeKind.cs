namespace Helix.Dashboard.Model;

/// <summary>The span a dashboard page shows.</summary>
public enum RangeKind
{
    /// <summary>Today, from midnight in the viewer's time zone, by hour.</summary>
    Day,

    /// <summary>The last 7 days including today, by day.</summary>
    Week,

    /// <summary>The last 30 days including today, by day.</summary>
    Month,
}
