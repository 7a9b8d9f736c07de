using Helix.Core.Experiments;
using Helix.Core.Recommendations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Core.Intelligence;

/// <summary>Loads running experiments at start-up, then evaluates them and recomputes recommendations on timers.</summary>
/// <remarks>A failed round is logged and the next one tries again; only the host stopping ends the loops.</remarks>
public sealed partial class IntelligenceMonitor : BackgroundService
{
    private readonly ExperimentTable _table;
    private readonly ExperimentService _experiments;
    private readonly RecommendationService _recommendations;
    private readonly IntelligenceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IntelligenceMonitor> _logger;

    /// <summary>Creates the monitor.</summary>
    public IntelligenceMonitor(
        ExperimentTable table, ExperimentService experiments, RecommendationService recommendations,
        IOptions<IntelligenceOptions> options, TimeProvider time, ILogger<IntelligenceMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(recommendations);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _table = table;
        _experiments = experiments;
        _recommendations = recommendations;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the first call: an experiment that was running when the process stopped runs on.
        await _table.ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            LoopAsync(_options.ExperimentEvaluationInterval, _experiments.EvaluateRunningAsync, "experiments", stoppingToken),
            LoopAsync(_options.RecommendationRefreshInterval, async ct => await _recommendations.RefreshAsync(ct), "recommendations", stoppingToken));

    private async Task LoopAsync(TimeSpan interval, Func<CancellationToken, Task> round, string what, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await round(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(_logger, what, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Evaluating {What} failed; the next round tries again.")]
    private static partial void LogRoundFailed(ILogger logger, string what, Exception exception);
}
