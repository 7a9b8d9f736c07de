using System.Collections.Concurrent;
using Helix.Core.Audit;
using Helix.Core.Pipeline;
using Helix.Core.Principals;
using Helix.Core.Routing;

namespace Helix.Core.Experiments;

/// <summary>Starts, stops and evaluates experiments; every change is appended to the change history and published to the request path.</summary>
/// <remarks>
/// Thread-safe. A start or stop writes the store, then the history, then reloads <see cref="ExperimentTable"/> so
/// the next call sees it. <see cref="EvaluateAsync"/> reads the log (never on the request path) and, when asked,
/// stops an experiment whose result says so, as <see cref="System"/> (<c>helix</c>).
/// </remarks>
public sealed class ExperimentService
{
    /// <summary>The actor of changes Helix makes by itself.</summary>
    public static Principal System { get; } = new("helix", "Helix", PrincipalRole.Admin);

    private readonly IExperimentStore _store;
    private readonly ExperimentTable _table;
    private readonly RouteTable _routes;
    private readonly ExperimentEvaluator _evaluator;
    private readonly IChangeHistory _history;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ExperimentResult> _latest = new(StringComparer.Ordinal);

    /// <summary>Creates the service.</summary>
    public ExperimentService(IExperimentStore store, ExperimentTable table, RouteTable routes, ExperimentEvaluator evaluator, IChangeHistory history, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _table = table;
        _routes = routes;
        _evaluator = evaluator;
        _history = history;
        _time = time;
    }

    /// <summary>Every experiment, newest first.</summary>
    public Task<IReadOnlyList<ExperimentConfig>> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);

    /// <summary>One experiment, or <see langword="null"/>.</summary>
    public Task<ExperimentConfig?> GetAsync(string id, CancellationToken cancellationToken = default) => _store.GetAsync(id, cancellationToken);

    /// <summary>The last evaluation made by the timer or on demand, if any.</summary>
    public ExperimentResult? LatestResult(string id) => _latest.TryGetValue(id, out var result) ? result : null;

    /// <summary>Starts an experiment.</summary>
    /// <returns>The experiment, or the error that refused it (400 bad arms, 404 unknown operation, 409 one already runs).</returns>
    public async Task<Result<ExperimentConfig>> StartAsync(NewExperiment request, Principal by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(by);
        var checkedArms = CheckArms(request);
        if (!checkedArms.IsSuccess)
        {
            return checkedArms.Error;
        }

        var (operation, arms) = checkedArms.Value;
        var experiment = new ExperimentConfig
        {
            Id = "exp_" + Guid.NewGuid().ToString("N")[..16],
            Operation = operation,
            Arms = arms,
            Guardrails = request.Guardrails ?? new ExperimentGuardrails(),
            CreatedAt = _time.GetUtcNow(),
            CreatedBy = by.Id,
        };
        if (!await _store.InsertAsync(experiment, cancellationToken))
        {
            return GatewayError.Conflict($"Operation '{operation}' already has a running experiment; stop it first.");
        }

        await _history.AppendAsync(new ChangeRecord(by.Id, by.Name, "experiment.start", "experiment:" + experiment.Id, null, ExperimentJson.Write(experiment)), cancellationToken);
        await _table.ReloadAsync(cancellationToken);
        return experiment;
    }

    /// <summary>Stops a running experiment.</summary>
    /// <returns>The stopped experiment, or the error (404 unknown, 409 not running).</returns>
    public async Task<Result<ExperimentConfig>> StopAsync(string id, Principal by, string reason, string? winner = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(by);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var experiment = await _store.GetAsync(id, cancellationToken);
        if (experiment is null)
        {
            return new GatewayError("not_found", $"No experiment '{id}'.", 404, "invalid_request_error");
        }

        if (experiment.Status != ExperimentStatus.Running)
        {
            return GatewayError.Conflict($"Experiment '{id}' is already stopped ({experiment.StopReason}).");
        }

        var stopped = experiment with
        {
            Status = ExperimentStatus.Stopped,
            StoppedAt = _time.GetUtcNow(),
            StoppedBy = by.Id,
            StopReason = reason,
            Winner = winner,
        };
        if (!await _store.StopAsync(stopped, cancellationToken))
        {
            return GatewayError.Conflict($"Experiment '{id}' was stopped by someone else.");
        }

        await _history.AppendAsync(new ChangeRecord(by.Id, by.Name, "experiment.stop", "experiment:" + id, ExperimentJson.Write(experiment), ExperimentJson.Write(stopped)), cancellationToken);
        await _table.ReloadAsync(cancellationToken);
        return stopped;
    }

    /// <summary>Evaluates an experiment now; when <paramref name="apply"/> and it should stop, stops it as <see cref="System"/>.</summary>
    /// <returns>The experiment (stopped, when it was), and its result; <see langword="null"/> when unknown.</returns>
    public async Task<(ExperimentConfig Experiment, ExperimentResult Result)?> EvaluateAsync(string id, bool apply, CancellationToken cancellationToken = default)
    {
        var experiment = await _store.GetAsync(id, cancellationToken);
        if (experiment is null)
        {
            return null;
        }

        var result = await _evaluator.EvaluateAsync(experiment, cancellationToken);
        _latest[id] = result;
        if (apply && result.ShouldStop && experiment.Status == ExperimentStatus.Running)
        {
            var stopped = await StopAsync(id, System, result.Reason, result.Winner, cancellationToken);
            if (stopped.IsSuccess)
            {
                experiment = stopped.Value;
            }
        }

        return (experiment, result);
    }

    /// <summary>Evaluates every running experiment and stops those whose result says so.</summary>
    public async Task EvaluateRunningAsync(CancellationToken cancellationToken = default)
    {
        foreach (var running in _table.Current.Values)
        {
            await EvaluateAsync(running.Config.Id, apply: true, cancellationToken);
        }
    }

    private Result<(string Operation, ExperimentArm[] Arms)> CheckArms(NewExperiment request)
    {
        var snapshot = _routes.Current;
        if (string.IsNullOrWhiteSpace(request.Operation) || !snapshot.TryGetRoute(request.Operation, out var decision))
        {
            return GatewayError.UnknownOperation(request.Operation ?? "");
        }

        var route = decision.Route;
        if (request.Candidates is null || request.Candidates.Count is 0 or > 8)
        {
            return GatewayError.InvalidRequest("candidates names 1 to 8 models, each with a share of traffic.", "invalid_experiment");
        }

        var controlId = request.ControlModel ?? route.PrimaryModel;
        List<ExperimentArm> arms = [];
        var candidateShares = 0m;
        for (var i = -1; i < request.Candidates.Count; i++)
        {
            var requested = i < 0 ? controlId : request.Candidates[i].Model;
            var model = string.IsNullOrWhiteSpace(requested) ? null : snapshot.FindModel(requested);
            if (model is null)
            {
                return GatewayError.InvalidRequest($"Unknown model '{requested}'.", "unknown_model");
            }

            if (model.Modality != route.Modality)
            {
                return GatewayError.InvalidRequest($"Model '{model.Id}' serves {model.Modality} calls; operation '{route.Operation}' makes {route.Modality} calls.", "model_modality_mismatch");
            }

            if (arms.Any(a => string.Equals(a.Model, model.Id, StringComparison.OrdinalIgnoreCase)))
            {
                return GatewayError.InvalidRequest($"Model '{model.Id}' appears in two arms.", "duplicate_model");
            }

            if (i >= 0)
            {
                var share = request.Candidates[i].Share;
                if (share is <= 0m or >= 1m)
                {
                    return GatewayError.InvalidRequest($"The share of '{model.Id}' must be between 0 and 1 (exclusive).", "invalid_share");
                }

                candidateShares += share;
                arms.Add(new ExperimentArm(ExperimentArm.CandidateName(i + 1), model.Id, share));
            }
            else
            {
                arms.Add(new ExperimentArm(ExperimentArm.ControlName, model.Id, 0m));
            }
        }

        if (candidateShares >= 1m)
        {
            return GatewayError.InvalidRequest($"The candidates' shares add up to {candidateShares}; they must leave the control a share (less than 1 in all).", "invalid_share");
        }

        arms[0] = arms[0] with { Share = 1m - candidateShares };
        if (request.Guardrails is { } rails && (rails.Alpha is <= 0m or >= 1m || rails.MinCallsPerArm is < 1 or > 10_000_000
            || rails.MaxErrorRateIncrease is < 0m or > 1m || rails.MaxQualityDecrease is < 0m or > 2m || rails.MaxLatencyP95Increase < 0m || rails.MaxCostPerCallIncrease < 0m))
        {
            return GatewayError.InvalidRequest("guardrails: alpha in (0, 1), minCallsPerArm from 1, maxErrorRateIncrease in [0, 1], maxQualityDecrease in [0, 2], maxLatencyP95Increase and maxCostPerCallIncrease from 0.", "invalid_guardrails");
        }

        return (route.Operation, arms.ToArray());
    }
}
