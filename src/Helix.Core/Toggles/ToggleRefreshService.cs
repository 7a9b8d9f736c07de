using Helix.Core.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Core.Toggles;

/// <summary>Loads the toggles and verifies the locked ones at start-up, then reloads them on a timer as a safety net.</summary>
/// <remarks>
/// Start-up fails with <see cref="LockedToggleConflictException"/> when a stored row contradicts a locked toggle.
/// Admin changes made through this process publish at once; the timer (<see cref="HelixOptions.RefreshInterval"/>)
/// catches changes made by another instance or in the store. A failed reload keeps the snapshot in force; a stored
/// row that contradicts a locked toggle later is ignored and logged as an error at each reload.
/// </remarks>
public sealed partial class ToggleRefreshService : SnapshotRefreshService
{
    private readonly ToggleTable _toggles;

    /// <summary>Creates the service.</summary>
    public ToggleRefreshService(ToggleTable toggles, IOptions<HelixOptions> options, TimeProvider time, ILogger<ToggleRefreshService> logger)
        : base((options ?? throw new ArgumentNullException(nameof(options))).Value.RefreshInterval, time, logger)
    {
        ArgumentNullException.ThrowIfNull(toggles);
        _toggles = toggles;
    }

    /// <inheritdoc/>
    protected override Task LoadAsync(CancellationToken cancellationToken) => _toggles.InitializeAsync(cancellationToken);

    /// <inheritdoc/>
    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _toggles.ReloadAsync(cancellationToken);
        foreach (var conflict in snapshot.LockedConflicts)
        {
            LogLockedConflict(Logger, conflict);
        }
    }

    /// <inheritdoc/>
    protected override void LogRefreshFailed(Exception exception) => LogReloadFailed(Logger, exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading toggles failed; the previous snapshot stays in force.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ignored a stored toggle: {Conflict}. Delete the row; the gateway will refuse to start while it is there.")]
    private static partial void LogLockedConflict(ILogger logger, string conflict);
}
