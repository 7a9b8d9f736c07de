using Helix.Core.Experiments;
using Helix.Core.Principals;
using Helix.Core.Recommendations;
using Helix.Core.Routing;
using Helix.Core.Savings;

namespace Helix.Dashboard.Model;

/// <summary>The intelligence tier as the dashboard reads and changes it: recommendations, experiments and the savings calculator.</summary>
/// <remarks>
/// The same Core services the admin API uses (<see cref="RecommendationService"/>, <see cref="RecommendationApplier"/>,
/// <see cref="ExperimentService"/>, <see cref="SavingsCalculator"/>), in process. Each change checks the actor's role
/// here and again in the service, and the services append to the change history (<c>recommendation.apply_request</c>,
/// <c>recommendation.dismiss</c>, <c>experiment.start</c>, <c>experiment.stop</c>). Applying a recommendation only asks
/// for an approval: another human operator or admin applies it on the approvals page. Thread-safe.
/// </remarks>
public sealed class IntelligenceActions(
    RecommendationService recommendations, RecommendationApplier applier, ExperimentService experiments, SavingsCalculator calculator, RouteTable routes)
{
    /// <summary>The operations and models a form may offer, from the routes as they are now.</summary>
    public RoutingSnapshot Routes => routes.Current;

    /// <summary>When Helix last recomputed its own recommendations, if it did.</summary>
    public DateTimeOffset? RefreshedAt => recommendations.RefreshedAt;

    /// <summary>Every recommendation, newest first.</summary>
    public Task<IReadOnlyList<Recommendation>> RecommendationsAsync(CancellationToken cancellationToken = default) =>
        recommendations.ListAsync(cancellationToken);

    /// <summary>Recomputes Helix's own recommendations from the log and the price book now (Operate).</summary>
    public async Task<CommandResult> RefreshRecommendationsAsync(Principal actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (DashboardCommands.Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return refused;
        }

        await recommendations.RefreshAsync(cancellationToken);
        return CommandResult.Done;
    }

    /// <summary>Asks for the approval that will apply recommendation <paramref name="id"/>; changes no route.</summary>
    /// <returns>The approval's id, or why not.</returns>
    public async Task<(CommandResult Result, string? ApprovalId)> ApplyAsync(Principal actor, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (DashboardCommands.Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return (refused, null);
        }

        var result = await applier.RequestAsync(id, actor, cancellationToken);
        return result.IsSuccess ? (CommandResult.Done, result.Value.Approval.Id) : (new CommandResult(result.Error.Message), null);
    }

    /// <summary>Dismisses an open recommendation; <paramref name="reason"/> is required.</summary>
    public async Task<CommandResult> DismissAsync(Principal actor, long id, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (DashboardCommands.Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return refused;
        }

        var result = await recommendations.DismissAsync(id, reason ?? "", actor, cancellationToken);
        return result.IsSuccess ? CommandResult.Done : new CommandResult(result.Error.Message);
    }

    /// <summary>Every experiment with its latest evaluation (if one was made since the process started).</summary>
    public async Task<IReadOnlyList<(ExperimentConfig Experiment, ExperimentResult? Result)>> ExperimentsAsync(CancellationToken cancellationToken = default)
    {
        var all = await experiments.ListAsync(cancellationToken);
        return [.. all.Select(e => (e, experiments.LatestResult(e.Id)))];
    }

    /// <summary>One experiment, evaluated from the log now (read only: it does not stop it); <see langword="null"/> when unknown.</summary>
    public Task<(ExperimentConfig Experiment, ExperimentResult Result)?> ExperimentAsync(string id, CancellationToken cancellationToken = default) =>
        experiments.EvaluateAsync(id, apply: false, cancellationToken);

    /// <summary>Starts an experiment on an operation (Operate); the arms' shares are checked by the service.</summary>
    /// <returns>The new experiment's id, or why not.</returns>
    public async Task<(CommandResult Result, string? ExperimentId)> StartExperimentAsync(Principal actor, NewExperiment request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        if (DashboardCommands.Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return (refused, null);
        }

        var result = await experiments.StartAsync(request, actor, cancellationToken);
        return result.IsSuccess ? (CommandResult.Done, result.Value.Id) : (new CommandResult(result.Error.Message), null);
    }

    /// <summary>Stops a running experiment (Operate) with the reason given.</summary>
    public async Task<CommandResult> StopExperimentAsync(Principal actor, string id, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(id);
        if (DashboardCommands.Refuse(actor, AdminAccess.Operate) is { } refused)
        {
            return refused;
        }

        var result = await experiments.StopAsync(id, actor, string.IsNullOrWhiteSpace(reason) ? $"stopped by {actor.Name}" : reason.Trim(), null, cancellationToken);
        return result.IsSuccess ? CommandResult.Done : new CommandResult(result.Error.Message);
    }

    /// <summary>Replays the last <see cref="SavingsPlan.Days"/> days of the log under <paramref name="plan"/> (read only).</summary>
    /// <returns>The report, or why the plan cannot be replayed.</returns>
    public async Task<(SavingsReport? Report, string? Error)> SavingsAsync(SavingsPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var result = await calculator.CalculateAsync(plan, cancellationToken);
        return result.IsSuccess ? (result.Value, null) : (null, result.Error.Message);
    }
}
