using System.Globalization;
using Helix.Core.Alerts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Core.Budgets.Anomalies;

/// <summary>Runs anomaly detection per operation and per user on a timer of the injected clock, raising alerts.</summary>
/// <remarks>
/// Each anomaly becomes an alert keyed by rule, scope and subject, so one stays open per scope and rule until it is
/// resolved, however many runs see the anomaly again (no alert storm).
/// </remarks>
public sealed partial class AnomalyService : BackgroundService
{
    private readonly IBudgetStore _store;
    private readonly AlertCenter _alerts;
    private readonly TimeProvider _time;
    private readonly BudgetsOptions _options;
    private readonly ILogger<AnomalyService> _logger;

    public AnomalyService(IBudgetStore store, AlertCenter alerts, TimeProvider time, IOptions<BudgetsOptions> options, ILogger<AnomalyService> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _alerts = alerts;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Evaluates both scopes now and queues an alert per anomaly.</summary>
    /// <returns>The anomalies found.</returns>
    public async Task<IReadOnlyList<Anomaly>> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var from = AnomalyDetector.HistoryStart(now, _options);
        List<Anomaly> found = [];
        foreach (var (grouping, scope) in new[] { (SpendGrouping.Operation, "operation"), (SpendGrouping.User, "user") })
        {
            var history = await _store.GetHourlyActivityAsync(grouping, from, now, cancellationToken);
            found.AddRange(AnomalyDetector.Evaluate(scope, history, now, _options));
        }

        foreach (var anomaly in found)
        {
            _alerts.Enqueue(ToAlert(anomaly, now));
        }

        return found;
    }

    /// <summary>The alert of an anomaly: the figures behind it, keyed so one stays open per scope and rule.</summary>
    public static AlertRecord ToAlert(Anomaly anomaly, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        var what = anomaly.Rule == "spend"
            ? string.Create(CultureInfo.InvariantCulture, $"spent {anomaly.SpentUsd} USD against a baseline of {anomaly.BaselineUsd} USD")
            : string.Create(CultureInfo.InvariantCulture, $"made {anomaly.Calls} calls against a baseline of {anomaly.BaselineCalls}");
        var window = anomaly.Window == "hour" ? "in the last hour" : "so far today";
        return new AlertRecord
        {
            Type = "anomaly_" + anomaly.Rule,
            Severity = "warning",
            Scope = anomaly.Scope,
            Subject = anomaly.Subject,
            Period = anomaly.Window,
            SpentUsd = anomaly.SpentUsd,
            LimitUsd = anomaly.BaselineUsd,
            Calls = anomaly.Calls,
            BaselineCalls = anomaly.BaselineCalls,
            Message = $"The {anomaly.Scope} '{anomaly.Subject}' {what} {window} ({anomaly.Basis}).",
            CreatedAt = at,
            DedupeKey = $"anomaly_{anomaly.Rule}:{anomaly.Scope}:{anomaly.Subject}",
        };
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.AnomalyInterval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRunFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Anomaly detection failed; it runs again at the next interval.")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
