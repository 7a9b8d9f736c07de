namespace Helix.Core.Pipeline;

/// <summary>One job of the control plane (route, retry, journal, price…), wrapped around the rest of the pipeline.</summary>
/// <remarks>
/// <para>
/// A step does its job and calls <c>next</c>, or stops the call by returning a <see cref="GatewayError"/> before any
/// provider is called. Its position in the builder is its scope: a step added before
/// <c>UseFailover</c> runs once per call, between <c>UseFailover</c> and <c>UseRetry</c> once per model, after
/// <c>UseRetry</c> once per attempt, with <see cref="OperationContext.Attempt"/> set; such a step hears the end of that
/// attempt through <see cref="Attempt.OnEnded"/>, which fires once, also for streams the caller abandons.
/// </para>
/// <para>Implementations are thread-safe: one instance serves every call. Per-call state lives in the context.</para>
/// </remarks>
public interface IOperationStep
{
    /// <summary>Does the step's job around <paramref name="next"/>.</summary>
    /// <param name="context">The call's context.</param>
    /// <param name="next">The rest of the pipeline.</param>
    /// <returns><see langword="null"/> when the call was served; otherwise the error that stopped it.</returns>
    ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next);
}
