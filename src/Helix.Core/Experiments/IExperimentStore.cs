namespace Helix.Core.Experiments;

/// <summary>Durable storage of experiments.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IExperimentStore
{
    /// <summary>Every experiment, newest first.</summary>
    Task<IReadOnlyList<ExperimentConfig>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>One experiment, or <see langword="null"/>.</summary>
    Task<ExperimentConfig?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Stores a new running experiment, unless one already runs on its operation.</summary>
    /// <returns>Whether it was stored (<see langword="false"/>: the operation already has a running experiment).</returns>
    Task<bool> InsertAsync(ExperimentConfig experiment, CancellationToken cancellationToken = default);

    /// <summary>Stops a running experiment.</summary>
    /// <param name="stopped">The experiment as stopped: its stop time, who, why, the winner.</param>
    /// <param name="cancellationToken">Cancels the change.</param>
    /// <returns>Whether it was running (and is now stopped).</returns>
    Task<bool> StopAsync(ExperimentConfig stopped, CancellationToken cancellationToken = default);
}
