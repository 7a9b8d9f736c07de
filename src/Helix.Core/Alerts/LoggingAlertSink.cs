using Microsoft.Extensions.Logging;

namespace Helix.Core.Alerts;

/// <summary>Writes alerts to the application log at warning level and keeps the latest ones for the admin API.</summary>
/// <remarks>Thread-safe; keeps at most 200 alerts.</remarks>
public sealed partial class LoggingAlertSink : IAlertSink
{
    private const int Capacity = 200;
    private readonly ILogger<LoggingAlertSink> _logger;
    private readonly Queue<Alert> _recent = new();
    private readonly Lock _gate = new();

    public LoggingAlertSink(ILogger<LoggingAlertSink> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>The latest alerts, newest first.</summary>
    public IReadOnlyList<Alert> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _recent.Reverse()];
            }
        }
    }

    /// <inheritdoc/>
    public void Raise(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        LogAlert(_logger, alert.Kind, alert.Operation, alert.Model, alert.Message);
        lock (_gate)
        {
            if (_recent.Count == Capacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(alert);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Kind} (operation {Operation}, model {Model}): {Message}")]
    private static partial void LogAlert(ILogger logger, string kind, string? operation, string? model, string message);
}
