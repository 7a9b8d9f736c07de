using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Core.Hosting;

/// <summary>Initialises routes and prices at start-up, then reloads them on a timer as a safety net.</summary>
/// <remarks>
/// Admin changes made through this process publish at once; the timer catches changes made by another instance
/// or straight in the store. A failed reload keeps the snapshot in force and is logged.
/// </remarks>
public sealed partial class HelixRefreshService : SnapshotRefreshService
{
    private readonly HelixInitializer _initializer;

    /// <summary>Creates the service.</summary>
    public HelixRefreshService(HelixInitializer initializer, IOptions<HelixOptions> options, TimeProvider time, ILogger<HelixRefreshService> logger)
        : base((options ?? throw new ArgumentNullException(nameof(options))).Value.RefreshInterval, time, logger)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        _initializer = initializer;
    }

    /// <inheritdoc/>
    protected override Task LoadAsync(CancellationToken cancellationToken) => _initializer.InitializeAsync(cancellationToken);

    /// <inheritdoc/>
    protected override Task RefreshAsync(CancellationToken cancellationToken) => _initializer.ReloadAsync(cancellationToken);

    /// <inheritdoc/>
    protected override void LogRefreshFailed(Exception exception) => LogReloadFailed(Logger, exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading routes and prices failed; the previous snapshot stays in force.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
