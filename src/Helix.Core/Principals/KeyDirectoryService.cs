using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Core.Principals;

/// <summary>Loads the key directory at start-up, then reloads it and flushes last-used times on a timer, and once more at shutdown.</summary>
/// <remarks>A failed first load stops start-up (no key could be checked); a failed reload keeps the snapshot in force and is logged.</remarks>
public sealed partial class KeyDirectoryService : BackgroundService
{
    private readonly KeyDirectory _directory;
    private readonly KeysOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<KeyDirectoryService> _logger;

    /// <summary>Creates the service.</summary>
    public KeyDirectoryService(KeyDirectory directory, IOptions<KeysOptions> options, TimeProvider time, ILogger<KeyDirectoryService> logger)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _directory = directory;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await _directory.ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await _directory.FlushUsesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(_logger, ex);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReloadInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await _directory.FlushUsesAsync(stoppingToken);
                await _directory.ReloadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReloadFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading API keys failed; the previous keys stay in force.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the API keys' last-used times at shutdown failed.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
