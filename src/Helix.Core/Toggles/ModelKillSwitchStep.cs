using Helix.Core.Pipeline;

namespace Helix.Core.Toggles;

/// <summary>Skips a model whose provider or itself is killed by a toggle, so failover tries the next model.</summary>
/// <remarks>
/// Per model (after failover, before anything that reserves or calls): <c>kill:provider:&lt;provider&gt;</c> or
/// <c>kill:model:&lt;provider/model&gt;</c> on skips the model with code <see cref="KilledByToggle"/> and a reason
/// naming the toggle (<see cref="OperationContext.Skipped"/>). Reads the in-memory snapshot only. Thread-safe.
/// </remarks>
public sealed class ModelKillSwitchStep : IOperationStep
{
    /// <summary>The skip code of a model killed by a toggle.</summary>
    public const string KilledByToggle = "killed_by_toggle";

    private readonly ToggleTable _toggles;

    /// <summary>Creates the step over <paramref name="toggles"/>.</summary>
    public ModelKillSwitchStep(ToggleTable toggles)
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
        if (!snapshot.KillsModels)
        {
            return next(context);
        }

        var target = context.Target ?? throw new InvalidOperationException("The model kill switch runs per model: add it after UseFailover.");
        var killed = snapshot.ModelKill(target.Id) ?? snapshot.ProviderKill(target.Provider);
        return killed is null
            ? next(context)
            : ValueTask.FromResult<GatewayError?>(context.SkipModel(target.Id, KilledByToggle, $"{target.Id}: killed by toggle {killed.Name}"));
    }
}
