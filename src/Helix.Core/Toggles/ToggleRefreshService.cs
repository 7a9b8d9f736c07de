using Helix.Core.Hosting;
using Microsoft.Extensions.Hosting;
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
public sealed partial class ToggleRefreshService : BackgroundService
{
    private readonly ToggleTable _toggles;
    private readonly HelixOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ToggleRefreshService> _logger;

    /// <summary>Creates the service.</summary>
    public ToggleRefreshService(ToggleTable toggles, IOptions<HelixOptions> options, TimeProvider time, ILogger<ToggleRefreshService> logger)
    {
        ArgumentNullException.ThrowIfNull(toggles);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _toggles = toggles;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _toggles.InitializeAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RefreshInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var snapshot = await _toggles.ReloadAsync(stoppingToken);
                foreach (var conflict in snapshot.LockedConflicts)
                {
                    LogLockedConflict(_logger, conflict);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReloadFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading toggles failed; the previous snapshot stays in force.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ignored a stored toggle: {Conflict}. Delete the row; the gateway will refuse to start while it is there.")]
    private static partial void LogLockedConflict(ILogger logger, string conflict);
}
