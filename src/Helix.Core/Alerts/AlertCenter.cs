using System.Globalization;
using System.Threading.Channels;
using Helix.Core.Budgets;

namespace Helix.Core.Alerts;

/// <summary>Where every alert goes: logged at once, then stored with its state and queued for the notifiers in the background.</summary>
/// <remarks>
/// <see cref="Raise(Alert)"/> and <see cref="Crossed"/> are called on the request path and where attempts settle:
/// they log, queue and return; <see cref="Notifiers.AlertDispatcher"/> stores what is queued and delivers it. A full queue
/// drops the oldest alert rather than block a call. Thread-safe.
/// </remarks>
public sealed class AlertCenter : IAlertSink, IBudgetThresholdSink
{
    private const int Capacity = 10_000;

    private readonly LoggingAlertSink _log;
    private readonly Channel<AlertRecord> _queue = Channel.CreateBounded<AlertRecord>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public AlertCenter(LoggingAlertSink log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
    }

    /// <summary>The alerts waiting to be stored.</summary>
    public ChannelReader<AlertRecord> Pending => _queue.Reader;

    /// <inheritdoc/>
    public void Raise(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        _log.Raise(alert);

        // One open alert per kind, operation and model until resolved: an unpriced model alerts once, not per call.
        Enqueue(new AlertRecord
        {
            Type = alert.Kind,
            Severity = "warning",
            Scope = alert.Model is not null ? "model" : alert.Operation is not null ? "operation" : "global",
            Subject = alert.Model ?? alert.Operation,
            Message = alert.Message,
            CreatedAt = alert.At,
            DedupeKey = $"{alert.Kind}:{alert.Operation}:{alert.Model}",
        });
    }

    /// <inheritdoc/>
    public void Crossed(BudgetThresholdCrossing crossing)
    {
        ArgumentNullException.ThrowIfNull(crossing);
        var budget = crossing.Budget;
        var spent = UsdNanos.ToUsd(crossing.SpentNanos);
        var scope = budget.Scope.ToString().ToLowerInvariant();
        var period = budget.Period.ToString().ToLowerInvariant();
        var named = budget.Scope == BudgetScope.Global ? "The global" : $"The {scope} '{budget.Subject}'";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{named} {period} budget reached {crossing.Threshold:P0} of its limit: {spent} of {budget.LimitUsd} USD spent (period from {crossing.Window.Start:yyyy-MM-dd HH:mm}Z).");
        _log.Raise(new Alert("budget_threshold", message, budget.Scope == BudgetScope.Operation ? budget.Subject : null, null, crossing.At));
        Enqueue(new AlertRecord
        {
            Type = "budget_threshold",
            Severity = crossing.Threshold >= 1m ? "critical" : crossing.Threshold >= 0.8m ? "warning" : "info",
            Scope = scope,
            Subject = budget.Subject,
            Period = period,
            Threshold = crossing.Threshold,
            SpentUsd = spent,
            LimitUsd = budget.LimitUsd,
            Message = message,
            CreatedAt = crossing.At,
            DedupeKey = string.Create(CultureInfo.InvariantCulture, $"budget:{budget.Id}:{crossing.Window.Start.UtcTicks}:{crossing.Threshold}"),
            Once = true,
        });
    }

    /// <summary>Queues an alert built elsewhere (anomaly detection) to be stored and delivered.</summary>
    public void Enqueue(AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        _queue.Writer.TryWrite(alert);
    }
}
