using Microsoft.Extensions.Logging;

namespace Helix.Core.OperationLog;

/// <summary>Settles at start-up what a dead process left open: each open attempt becomes an interrupted log row.</summary>
/// <remarks>
/// Runs at most once per instance (later calls share the first run), and must run before this process serves a
/// call: every attempt still open then was opened by a process that is gone. The gateway runs it right after its
/// migrations; <see cref="Hosting.HelixInitializer"/> runs it before routes load, for in-process hosts. Thread-safe.
/// </remarks>
public sealed partial class OpenAttemptRecovery
{
    private readonly IOperationLogStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<OpenAttemptRecovery> _logger;
    private readonly Lock _lock = new();
    private Task<int>? _run;

    public OpenAttemptRecovery(IOperationLogStore store, TimeProvider time, ILogger<OpenAttemptRecovery> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Recovers the open attempts, once; a failed run is tried again by the next call.</summary>
    /// <returns>How many attempts the run recovered.</returns>
    public Task<int> RecoverAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_run is null || _run.IsFaulted || _run.IsCanceled)
            {
                _run = RunAsync(cancellationToken);
            }

            return _run;
        }
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var recovered = await _store.RecoverOpenAttemptsAsync(_time.GetUtcNow(), cancellationToken);
        if (recovered > 0)
        {
            LogRecovered(_logger, recovered);
        }

        return recovered;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} provider attempt(s) were open when the process last stopped; they are logged as interrupted at their worst-case cost.")]
    private static partial void LogRecovered(ILogger logger, int count);
}
