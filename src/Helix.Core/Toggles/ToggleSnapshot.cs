using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Helix.Core.Toggles;

/// <summary>An immutable view of every toggle, locked and stored, swapped whole when one changes.</summary>
/// <remarks>
/// A call reads the current snapshot and never locks; nothing here does I/O. Kill switches that are enabled are
/// indexed by what they kill, so the per-call and per-model checks are one dictionary lookup each (none when no
/// kill switch is on). A locked toggle always wins over a stored row of the same name.
/// </remarks>
public sealed class ToggleSnapshot
{
    private readonly FrozenDictionary<string, ToggleConfig> _byName;
    private readonly FrozenDictionary<string, ToggleConfig>.AlternateLookup<ReadOnlySpan<char>> _byNameSpan;
    private readonly FrozenDictionary<string, ToggleConfig>.AlternateLookup<ReadOnlySpan<char>> _killedOperations;
    private readonly FrozenDictionary<string, ToggleConfig>.AlternateLookup<ReadOnlySpan<char>> _killedProviders;
    private readonly FrozenDictionary<string, ToggleConfig>.AlternateLookup<ReadOnlySpan<char>> _killedModels;

    /// <summary>Builds a snapshot of the locked toggles and the stored ones.</summary>
    /// <param name="revision">The revision; higher is newer.</param>
    /// <param name="locked">The locked toggles.</param>
    /// <param name="stored">The stored toggles; a row named like a locked toggle is left out (and, when it contradicts it, reported in <see cref="LockedConflicts"/>).</param>
    public ToggleSnapshot(long revision, SafetyToggles locked, IEnumerable<ToggleConfig> stored)
    {
        ArgumentNullException.ThrowIfNull(locked);
        ArgumentNullException.ThrowIfNull(stored);
        Revision = revision;
        var byName = locked.All.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        List<string> conflicts = [];
        foreach (var toggle in stored)
        {
            if (locked.TryGet(toggle.Name, out var lockedToggle))
            {
                if (lockedToggle.Enabled != toggle.Enabled)
                {
                    conflicts.Add($"the stored toggle '{toggle.Name}' is {State(toggle.Enabled)}, but '{lockedToggle.Name}' is a locked safety toggle, {State(lockedToggle.Enabled)}");
                }

                continue;
            }

            byName[toggle.Name] = toggle;
        }

        LockedConflicts = conflicts;
        _byName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _byNameSpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        Toggles = [.. _byName.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];

        Dictionary<string, ToggleConfig> operations = new(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, ToggleConfig> providers = new(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, ToggleConfig> models = new(StringComparer.OrdinalIgnoreCase);
        foreach (var toggle in Toggles)
        {
            if (!toggle.Enabled || !ToggleNames.TryParseKill(toggle.Name, out var scope, out var subject))
            {
                continue;
            }

            switch (scope)
            {
                case ToggleScope.Global:
                    GlobalKill = toggle;
                    break;
                case ToggleScope.Operation:
                    operations[subject!] = toggle;
                    break;
                case ToggleScope.Provider:
                    providers[subject!] = toggle;
                    break;
                case ToggleScope.Model:
                    models[subject!] = toggle;
                    break;
            }
        }

        _killedOperations = Freeze(operations).GetAlternateLookup<ReadOnlySpan<char>>();
        _killedProviders = Freeze(providers).GetAlternateLookup<ReadOnlySpan<char>>();
        _killedModels = Freeze(models).GetAlternateLookup<ReadOnlySpan<char>>();
        KillsModels = providers.Count + models.Count > 0;
    }

    /// <summary>The revision of the snapshot; higher is newer.</summary>
    public long Revision { get; }

    /// <summary>Every toggle, locked ones included, ordered by name.</summary>
    public ImmutableArray<ToggleConfig> Toggles { get; }

    /// <summary>Stored rows that contradict a locked toggle (each a sentence naming both); they are ignored.</summary>
    public IReadOnlyList<string> LockedConflicts { get; }

    /// <summary>The enabled <c>kill:global</c> toggle, or <see langword="null"/>.</summary>
    public ToggleConfig? GlobalKill { get; }

    /// <summary>Whether any provider or model kill switch is on (the per-model check is skipped otherwise).</summary>
    public bool KillsModels { get; }

    /// <summary>Finds a toggle by name.</summary>
    public bool TryGet(ReadOnlySpan<char> name, out ToggleConfig toggle) => _byNameSpan.TryGetValue(name, out toggle!);

    /// <summary>Whether the toggle <paramref name="name"/> is on; <paramref name="whenAbsent"/> when there is no such toggle.</summary>
    public bool IsEnabled(ReadOnlySpan<char> name, bool whenAbsent = false) =>
        _byNameSpan.TryGetValue(name, out var toggle) ? toggle.Enabled : whenAbsent;

    /// <summary>Checks many toggles at once, against this one snapshot, without allocating.</summary>
    /// <param name="names">The toggles' names.</param>
    /// <param name="enabled">Receives, at each name's index, whether it is on (<see langword="false"/> when absent).</param>
    /// <exception cref="ArgumentException"><paramref name="enabled"/> is shorter than <paramref name="names"/>.</exception>
    public void AreEnabled(ReadOnlySpan<string> names, Span<bool> enabled)
    {
        if (enabled.Length < names.Length)
        {
            throw new ArgumentException("The results span must be at least as long as the names.", nameof(enabled));
        }

        for (var i = 0; i < names.Length; i++)
        {
            enabled[i] = IsEnabled(names[i]);
        }
    }

    /// <summary>Checks many toggles at once, against this one snapshot.</summary>
    /// <param name="names">The toggles' names.</param>
    /// <returns>Each name (as given) with whether it is on; an absent toggle is off.</returns>
    public IReadOnlyDictionary<string, bool> AreEnabled(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var results = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            results[name] = IsEnabled(name);
        }

        return results;
    }

    /// <summary>The kill switch that kills <paramref name="operation"/>, or <see langword="null"/>.</summary>
    public ToggleConfig? OperationKill(ReadOnlySpan<char> operation) =>
        _killedOperations.TryGetValue(operation, out var toggle) ? toggle : null;

    /// <summary>The kill switch that kills <paramref name="provider"/>, or <see langword="null"/>.</summary>
    public ToggleConfig? ProviderKill(ReadOnlySpan<char> provider) =>
        _killedProviders.TryGetValue(provider, out var toggle) ? toggle : null;

    /// <summary>The kill switch that kills the catalog model <paramref name="modelId"/>, or <see langword="null"/>.</summary>
    public ToggleConfig? ModelKill(ReadOnlySpan<char> modelId) =>
        _killedModels.TryGetValue(modelId, out var toggle) ? toggle : null;

    private static FrozenDictionary<string, ToggleConfig> Freeze(Dictionary<string, ToggleConfig> kills) =>
        kills.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static string State(bool enabled) => enabled ? "enabled" : "disabled";
}
