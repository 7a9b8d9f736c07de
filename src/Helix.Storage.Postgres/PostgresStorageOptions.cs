namespace Helix.Storage.Postgres;

/// <summary>How this instance shares a PostgreSQL database with the others.</summary>
public sealed class PostgresStorageOptions
{
    /// <summary>This instance's stable name among those sharing the database; unset, a unique one per process.</summary>
    /// <remarks>A stable name lets a restarted instance recover its own open attempts at once, without waiting for its old lease to run out.</remarks>
    public string? InstanceId { get; set; }

    /// <summary>Whether start-up applies pending migrations (default); when <see langword="false"/>, run <c>helix db migrate</c> first.</summary>
    public bool Migrate { get; set; } = true;

    /// <summary>How long an instance counts as alive after its last lease renewal (default 15 seconds; renewed every third of it).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whole months of the operation log kept (the current month counts); 0 keeps every month (default).</summary>
    /// <remarks>Older monthly partitions are dropped whole; the hourly rollups (and so spend summaries) are kept.</remarks>
    public int LogRetentionMonths { get; set; }
}
