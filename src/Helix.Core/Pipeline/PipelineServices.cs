using Helix.Core.Alerts;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Helix.Core.Toggles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helix.Core.Pipeline;

/// <summary>What the built-in steps are made from: the in-memory snapshots, the log writer, the clock.</summary>
/// <remarks>Immutable; every member is thread-safe. The <c>Use…</c> extensions take their parts from it.</remarks>
public sealed class PipelineServices
{
    /// <summary>Gathers the parts.</summary>
    public PipelineServices(
        RouteTable routes,
        ProviderRegistry providers,
        CostEngine costs,
        OperationLogWriter log,
        CircuitBreakerRegistry circuits,
        ResilienceOptions resilience,
        IAlertSink alerts,
        TimeProvider time,
        ILogger? logger = null,
        ToggleTable? toggles = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(circuits);
        ArgumentNullException.ThrowIfNull(resilience);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(time);
        Routes = routes;
        Providers = providers;
        Costs = costs;
        Log = log;
        Circuits = circuits;
        Resilience = resilience;
        Alerts = alerts;
        Time = time;
        Logger = logger ?? NullLogger.Instance;
        Toggles = toggles;
    }

    /// <summary>The routes, served from memory.</summary>
    public RouteTable Routes { get; }

    /// <summary>The configured providers.</summary>
    public ProviderRegistry Providers { get; }

    /// <summary>The prices in force.</summary>
    public CostEngine Costs { get; }

    /// <summary>The group-commit writer of the operation log and its journal.</summary>
    public OperationLogWriter Log { get; }

    /// <summary>One circuit per model.</summary>
    public CircuitBreakerRegistry Circuits { get; }

    /// <summary>Retry, timeout and deadline settings.</summary>
    public ResilienceOptions Resilience { get; }

    /// <summary>Where alerts go.</summary>
    public IAlertSink Alerts { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Where the steps log.</summary>
    public ILogger Logger { get; }

    /// <summary>The toggles and kill switches, served from memory; <see langword="null"/> when the host has none (no kill-switch steps then).</summary>
    public ToggleTable? Toggles { get; }

    /// <summary>The running A/B experiments, or <see langword="null"/> for none (<c>UseExperiments</c> then adds nothing).</summary>
    public Experiments.ExperimentTable? Experiments { get; init; }

    /// <summary>
    /// Whether a chat call's provider request starts while its open-attempt record commits, only its last byte waiting
    /// for the commit (docs/durability.md); off by default: on loopback it cost more CPU per call than it saved
    /// (README, Benchmarks). Every guarantee holds either way.
    /// </summary>
    public bool OverlapRecordCommit { get; init; }
}
