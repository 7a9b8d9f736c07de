using Helix.Core.OperationLog;

namespace Helix.Core.Insights;

/// <summary>The dashboard's reads over the operation log: rollups and indexed lookups, never a scan of the whole log.</summary>
/// <remarks>
/// Implementations are thread-safe and keep the hourly rollups current as rows are appended (in the rows'
/// own transaction), so what a committed call changed is visible to the next read.
/// </remarks>
public interface IInsightsStore
{
    /// <summary>The hourly traffic per operation and model for the hours that start in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    Task<IReadOnlyList<HourlyUsage>> GetHourlyUsageAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The hourly latency histogram per model of successful attempts, for the hours in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    Task<IReadOnlyList<LatencyCount>> GetLatencyAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Feedback received in [<paramref name="from"/>, <paramref name="to"/>) per model of the rated call's answer.</summary>
    Task<IReadOnlyList<ModelQuality>> GetQualityAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>A page of the log, newest first, with the search's filters.</summary>
    Task<LogPage> SearchAsync(LogSearch search, CancellationToken cancellationToken = default);

    /// <summary>Every attempt of one call, first attempt first; empty when no call has the id.</summary>
    Task<IReadOnlyList<OperationLogEntry>> GetCallAsync(string requestId, CancellationToken cancellationToken = default);
}
