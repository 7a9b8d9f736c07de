using System.Collections.Frozen;

namespace Helix.Core.Experiments;

/// <summary>Serves the running experiments from memory, by operation; swapped whole on every change.</summary>
/// <remarks>
/// Thread-safe. <see cref="Current"/> is a volatile read (no I/O on the request path); <see cref="ReloadAsync"/> reads
/// the store and publishes a new snapshot. Until the first load the table is empty: no call is split.
/// </remarks>
public sealed class ExperimentTable : IDisposable
{
    private readonly IExperimentStore _store;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private FrozenDictionary<string, RunningExperiment> _current = FrozenDictionary<string, RunningExperiment>.Empty;

    /// <summary>Creates a table over <paramref name="store"/>.</summary>
    public ExperimentTable(IExperimentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>The running experiments by operation (case-insensitive).</summary>
    public FrozenDictionary<string, RunningExperiment> Current => Volatile.Read(ref _current);

    /// <summary>Reads the running experiments from the store and publishes them.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloadLock.WaitAsync(cancellationToken);
        try
        {
            var all = await _store.ListAsync(cancellationToken);
            var running = all.Where(e => e.Status == ExperimentStatus.Running)
                .ToFrozenDictionary(e => e.Operation, e => new RunningExperiment(e), StringComparer.OrdinalIgnoreCase);
            Volatile.Write(ref _current, running);
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _reloadLock.Dispose();
}
