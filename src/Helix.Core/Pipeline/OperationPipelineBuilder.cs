namespace Helix.Core.Pipeline;

/// <summary>Builds the chain of steps a call runs through; the first step added is the outermost.</summary>
/// <remarks>
/// The provider call is appended last by <see cref="Build"/>. Steps are added with <see cref="Use(IOperationStep)"/>
/// or a <c>Use…</c> extension (<c>UseRouting</c>, <c>UseFailover</c>, <c>UseRetry</c>, …); adding one touches no
/// other. Not thread-safe; the built delegate is.
/// </remarks>
public sealed class OperationPipelineBuilder
{
    private readonly List<IOperationStep> _steps = [];

    /// <summary>Starts a builder whose steps are made from <paramref name="services"/>.</summary>
    public OperationPipelineBuilder(PipelineServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services;
    }

    /// <summary>The parts the built-in steps are made from.</summary>
    public PipelineServices Services { get; }

    /// <summary>The steps added so far, outermost first.</summary>
    public IReadOnlyList<IOperationStep> Steps => _steps;

    /// <summary>Adds <paramref name="step"/> inside the steps added before it.</summary>
    public OperationPipelineBuilder Use(IOperationStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps.Add(step);
        return this;
    }

    /// <summary>Adds a step written as a function of the context and the rest of the pipeline.</summary>
    public OperationPipelineBuilder Use(Func<OperationContext, OperationDelegate, ValueTask<GatewayError?>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Use(new DelegateStep(step));
    }

    /// <summary>Chains the steps around the provider call.</summary>
    public OperationDelegate Build()
    {
        OperationDelegate next = new ProviderCallStep(Services).InvokeAsync;
        for (var i = _steps.Count - 1; i >= 0; i--)
        {
            var step = _steps[i];
            var inner = next;
            next = context => step.InvokeAsync(context, inner);
        }

        return next;
    }

    private sealed class DelegateStep(Func<OperationContext, OperationDelegate, ValueTask<GatewayError?>> step) : IOperationStep
    {
        public ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next) => step(context, next);
    }
}
