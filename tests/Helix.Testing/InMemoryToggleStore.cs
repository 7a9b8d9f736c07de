using Helix.Core.Toggles;

namespace Helix.Testing;

/// <summary>An <see cref="IToggleStore"/> in memory, counting its reads so a test can show the request path does none.</summary>
/// <remarks>Thread-safe. Names compare case-insensitively, as in the SQL stores; a locked toggle is refused, as there.</remarks>
public sealed class InMemoryToggleStore : IToggleStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ToggleConfig> _toggles = new(StringComparer.OrdinalIgnoreCase);
    private int _reads;

    /// <summary>Creates a store holding <paramref name="toggles"/>; locked ones too, to stand for a row edited behind the API's back.</summary>
    public InMemoryToggleStore(params IEnumerable<ToggleConfig> toggles)
    {
        foreach (var toggle in toggles)
        {
            _toggles[toggle.Name] = toggle;
        }
    }

    /// <summary>How many times <see cref="GetTogglesAsync"/> was called.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Replaces a row directly, as someone editing the database would (locked names included).</summary>
    public void Put(ToggleConfig toggle)
    {
        ArgumentNullException.ThrowIfNull(toggle);
        lock (_lock)
        {
            _toggles[toggle.Name] = toggle;
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ToggleConfig>> GetTogglesAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ToggleConfig>>([.. _toggles.Values]);
        }
    }

    /// <inheritdoc/>
    public Task SaveToggleAsync(ToggleConfig toggle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(toggle);
        if (toggle.Locked)
        {
            throw new ArgumentException($"'{toggle.Name}' is locked: locked toggles are never stored.", nameof(toggle));
        }

        Put(toggle);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<bool> DeleteToggleAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            return Task.FromResult(_toggles.Remove(name));
        }
    }
}
