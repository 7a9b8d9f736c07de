using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Helix.Core.Hosting;

/// <summary>
/// Loads an in-memory snapshot at start-up, then refreshes it on a timer as a safety net: the shape every served-from-
/// memory table (routes and prices, toggles, keys) shares.
/// </summary>
/// <remarks>
/// A failed first load stops start-up; a failed refresh keeps the snapshot in force and is logged. Changes made through
/// this process publish at once; the timer catches changes made by another instance or straight in the store. A
/// store's own timeout is an <see cref="OperationCanceledException"/> too: only the host stopping ends the loop.
/// </remarks>
public abstract class SnapshotRefreshService : BackgroundService
{
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    /// <param name="interval">How often <see cref="RefreshAsync"/> runs.</param>
    /// <param name="time">The clock of the timer.</param>
    /// <param name="logger">Where a failed refresh is logged.</param>
    protected SnapshotRefreshService(TimeSpan interval, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _interval = interval;
        _time = time;
        Logger = logger;
    }

    /// <summary>Where the service logs.</summary>
    protected ILogger Logger { get; }

    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Loads the snapshot at start-up; throwing stops the host.</summary>
    protected abstract Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Refreshes the snapshot; runs on each tick of the timer.</summary>
    protected abstract Task RefreshAsync(CancellationToken cancellationToken);

    /// <summary>Logs a refresh that threw; the snapshot in force stays.</summary>
    protected abstract void LogRefreshFailed(Exception exception);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(ex);
            }
        }
    }
}
