using Helix.Core.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Core.Principals;

/// <summary>Loads the key directory at start-up, then reloads it and flushes last-used times on a timer, and once more at shutdown.</summary>
/// <remarks>A failed first load stops start-up (no key could be checked); a failed reload keeps the snapshot in force and is logged.</remarks>
public sealed partial class KeyDirectoryService : SnapshotRefreshService
{
    private readonly KeyDirectory _directory;

    /// <summary>Creates the service.</summary>
    public KeyDirectoryService(KeyDirectory directory, IOptions<KeysOptions> options, TimeProvider time, ILogger<KeyDirectoryService> logger)
        : base((options ?? throw new ArgumentNullException(nameof(options))).Value.ReloadInterval, time, logger)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _directory = directory;
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
            LogFlushFailed(Logger, ex);
        }
    }

    /// <inheritdoc/>
    protected override Task LoadAsync(CancellationToken cancellationToken) => _directory.ReloadAsync(cancellationToken);

    /// <inheritdoc/>
    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _directory.FlushUsesAsync(cancellationToken);
        await _directory.ReloadAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override void LogRefreshFailed(Exception exception) => LogReloadFailed(Logger, exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading API keys failed; the previous keys stay in force.")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the API keys' last-used times at shutdown failed.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
