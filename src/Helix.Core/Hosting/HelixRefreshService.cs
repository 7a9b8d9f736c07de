using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Core.Hosting;

/// <summary>Initialises routes and prices at start-up, then reloads them on a timer as a safety net.</summary>
/// <remarks>
/// Admin changes made through this process publish at once; the timer catches changes made by another instance
/// or straight in the store. A failed reload keeps the snapshot in force and is logged.
/// </remarks>
public sealed partial class HelixRefreshService : BackgroundService
{
    private readonly HelixInitializer _initializer;
    private readonly HelixOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HelixRefreshService> _logger;

    /// <summary>Creates the service.</summary>
    public HelixRefreshService(HelixInitializer initializer, IOptions<HelixOptions> options, TimeProvider time, ILogger<HelixRefreshService> logger)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _initializer = initializer;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _initializer.InitializeAsync(cancellationToken);
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
                await _initializer.ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A store's own timeout is an OperationCanceledException too: only the host stopping ends the loop.
                LogReloadFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading routes and prices failed; the previous snapshot stays in force.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
