using System.Runtime.CompilerServices;
using Helix.Core.Pipeline;

namespace Helix.Core.Toggles;

/// <summary>Refuses a call whose operation, or everything, is killed by a toggle; nothing is tried or charged.</summary>
/// <remarks>
/// <para>
/// Per call, first of the control steps (before routing): <c>kill:global</c> or <c>kill:operation:&lt;operation&gt;</c>
/// on answers <c>operation_disabled</c> (403: retrying will not help until a person switches it off), naming the
/// toggle. When every model of the route was skipped by a provider or model kill switch
/// (<see cref="ModelKillSwitchStep"/>), the call answers <c>operation_disabled</c> too rather than an upstream error.
/// </para>
/// <para>Reads the in-memory snapshot only: no I/O, and no allocation when no kill switch is on. Thread-safe.</para>
/// </remarks>
public sealed class KillSwitchStep : IOperationStep
{
    private readonly ToggleTable _toggles;

    /// <summary>Creates the step over <paramref name="toggles"/>.</summary>
    public KillSwitchStep(ToggleTable toggles)
    {
        ArgumentNullException.ThrowIfNull(toggles);
        _toggles = toggles;
    }

    /// <inheritdoc/>
    public ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var snapshot = _toggles.Current;
        if (snapshot.GlobalKill is { } global)
        {
            return ValueTask.FromResult<GatewayError?>(Disabled(
                $"Every operation is disabled by the kill switch '{global.Name}'; an operator switches it off with PUT /admin/api/toggles/{global.Name}."));
        }

        if (snapshot.OperationKill(context.Operation) is { } killed)
        {
            return ValueTask.FromResult<GatewayError?>(Disabled(
                $"Operation '{context.Operation}' is disabled by the kill switch '{killed.Name}'; an operator switches it off with PUT /admin/api/toggles/{killed.Name}."));
        }

        return snapshot.KillsModels ? WhenEveryModelKilledAsync(context, next) : next(context);
    }

    private static GatewayError Disabled(string message) => new("operation_disabled", message, 403, "invalid_request_error");

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<GatewayError?> WhenEveryModelKilledAsync(OperationContext context, OperationDelegate next)
    {
        var error = await next(context);
        if (error is null || context.Attempts.Count != 0 || context.Skipped.Count == 0)
        {
            return error;
        }

        foreach (var skip in context.Skipped)
        {
            if (skip.Code != ModelKillSwitchStep.KilledByToggle)
            {
                return error;
            }
        }

        return Disabled($"Operation '{context.Operation}' is disabled: every model of its route is killed by a toggle ({string.Join("; ", context.Skipped.Select(s => s.Reason))}).");
    }
}
