using Helix.Simulator.Wire;

namespace Helix.Simulator;

/// <summary>The live state of a simulator: the behaviour of its calls and the ledger of what it billed.</summary>
/// <remarks>
/// Thread-safe. Behaviours are read without locks from a snapshot that every change replaces; the ledger is
/// appended under a lock. Behaviour lookup, most specific first: (provider, model), (any provider, model),
/// (provider, any model), then <see cref="Default"/>. Provider and model names compare case-insensitively.
/// </remarks>
public sealed class SimulatorState
{
    private static readonly Dictionary<BehaviorKey, BehaviorSlot> s_noOverrides = new(BehaviorKeyComparer.Instance);

    private readonly Lock _gate = new();
    private readonly List<SimulatorLedgerEntry> _ledger = [];
    private readonly SimulatorBehavior _initialDefault;
    private BehaviorSlot _default;
    private long _requestsBegun;
    private long _requestsReceived;
    private Dictionary<BehaviorKey, BehaviorSlot> _overrides = s_noOverrides;

    /// <summary>Creates a state with the default behaviour and the clock of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="SimulatorOptions.AudioBytesPerSecond"/> is not positive.</exception>
    public SimulatorState(SimulatorOptions? options = null)
    {
        options ??= new SimulatorOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.AudioBytesPerSecond, nameof(options.AudioBytesPerSecond));
        TimeProvider = options.TimeProvider;
        AudioBytesPerSecond = options.AudioBytesPerSecond;
        _initialDefault = options.DefaultBehavior ?? new SimulatorBehavior();
        _default = new BehaviorSlot(_initialDefault);
    }

    /// <summary>The clock of ledger timestamps and response times.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Bytes per second assumed for audio of unknown format.</summary>
    public int AudioBytesPerSecond { get; }

    /// <summary>The behaviour of calls no override matches. Setting it restarts its <see cref="SimulatorBehavior.FaultCount"/>.</summary>
    public SimulatorBehavior Default
    {
        get => Volatile.Read(ref _default).Behavior;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Volatile.Write(ref _default, new BehaviorSlot(value));
        }
    }

    /// <summary>Chat requests whose headers arrived (their body may still be on its way).</summary>
    public long RequestsBegun => Interlocked.Read(ref _requestsBegun);

    /// <summary>Chat requests received whole: their body's last byte arrived, so a real provider could act on them.</summary>
    public long RequestsReceived => Interlocked.Read(ref _requestsReceived);

    /// <summary>A snapshot of every billed call, oldest first.</summary>
    public IReadOnlyList<SimulatorLedgerEntry> Ledger
    {
        get
        {
            lock (_gate)
            {
                return _ledger.ToArray();
            }
        }
    }

    /// <summary>Sets the behaviour of the calls to <paramref name="model"/> of <paramref name="provider"/>.</summary>
    /// <param name="provider">One of <see cref="SimulatorProviders"/>, or <see langword="null"/> for any provider.</param>
    /// <param name="model">The requested model id, or <see langword="null"/> for any model; both <see langword="null"/> sets <see cref="Default"/>.</param>
    /// <param name="behavior">The behaviour; replacing one restarts its <see cref="SimulatorBehavior.FaultCount"/>.</param>
    public void SetBehavior(string? provider, string? model, SimulatorBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        if (provider is null && model is null)
        {
            Default = behavior;
            return;
        }

        lock (_gate)
        {
            var next = new Dictionary<BehaviorKey, BehaviorSlot>(_overrides, BehaviorKeyComparer.Instance)
            {
                [new BehaviorKey(provider, model)] = new BehaviorSlot(behavior),
            };
            Volatile.Write(ref _overrides, next);
        }
    }

    /// <summary>Removes the override set for exactly (<paramref name="provider"/>, <paramref name="model"/>).</summary>
    /// <returns>Whether there was one.</returns>
    public bool RemoveBehavior(string? provider, string? model)
    {
        lock (_gate)
        {
            var key = new BehaviorKey(provider, model);
            if (!_overrides.ContainsKey(key))
            {
                return false;
            }

            var next = new Dictionary<BehaviorKey, BehaviorSlot>(_overrides, BehaviorKeyComparer.Instance);
            next.Remove(key);
            Volatile.Write(ref _overrides, next);
            return true;
        }
    }

    /// <summary>The behaviour a call to <paramref name="model"/> of <paramref name="provider"/> would get now.</summary>
    public SimulatorBehavior GetBehavior(string provider, string model)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(model);
        return Find(provider, model).Behavior;
    }

    /// <summary>Drops every override and restores the default behaviour the state was created with. The ledger is kept.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Volatile.Write(ref _overrides, s_noOverrides);
            Volatile.Write(ref _default, new BehaviorSlot(_initialDefault));
        }
    }

    /// <summary>Empties the ledger.</summary>
    public void ClearLedger()
    {
        lock (_gate)
        {
            _ledger.Clear();
        }
    }

    /// <summary>Decides how one call goes: its behaviour, and the fault it suffers (counting it against the fault budget).</summary>
    internal CallPlan BeginCall(string provider, string model)
    {
        var slot = Find(provider, model);
        return new CallPlan(slot.Behavior, slot.TakeFault());
    }

    internal void CountBegun() => Interlocked.Increment(ref _requestsBegun);

    internal void CountReceived() => Interlocked.Increment(ref _requestsReceived);

    internal void Bill(SimulatorLedgerEntry entry)
    {
        lock (_gate)
        {
            _ledger.Add(entry);
        }
    }

    private BehaviorSlot Find(string provider, string model)
    {
        var overrides = Volatile.Read(ref _overrides);
        if (overrides.Count != 0
            && (overrides.TryGetValue(new BehaviorKey(provider, model), out var slot)
                || overrides.TryGetValue(new BehaviorKey(null, model), out slot)
                || overrides.TryGetValue(new BehaviorKey(provider, null), out slot)))
        {
            return slot;
        }

        return Volatile.Read(ref _default);
    }

    private readonly record struct BehaviorKey(string? Provider, string? Model);

    private sealed class BehaviorKeyComparer : IEqualityComparer<BehaviorKey>
    {
        public static readonly BehaviorKeyComparer Instance = new();

        public bool Equals(BehaviorKey x, BehaviorKey y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Provider, y.Provider)
            && StringComparer.OrdinalIgnoreCase.Equals(x.Model, y.Model);

        public int GetHashCode(BehaviorKey obj) => HashCode.Combine(
            obj.Provider is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Provider),
            obj.Model is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Model));
    }

    /// <summary>A behaviour and what is left of its fault budget.</summary>
    private sealed class BehaviorSlot(SimulatorBehavior behavior)
    {
        private int _faultsLeft = behavior.FaultCount ?? -1;

        public SimulatorBehavior Behavior { get; } = behavior;

        public SimulatorFault TakeFault()
        {
            if (Behavior.Fault is SimulatorFault.None || Behavior.FaultCount is null)
            {
                return Behavior.Fault;
            }

            // The read keeps a spent budget from being decremented forever; racing past zero is harmless.
            return Volatile.Read(ref _faultsLeft) > 0 && Interlocked.Decrement(ref _faultsLeft) >= 0
                ? Behavior.Fault
                : SimulatorFault.None;
        }
    }
}
