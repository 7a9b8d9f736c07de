namespace Helix.Core.Pipeline;

/// <summary>The rest of the pipeline, as a step sees it: serve the call, or say why not.</summary>
/// <param name="context">The call's context.</param>
/// <returns><see langword="null"/> when the call was served; otherwise the error that stopped it.</returns>
public delegate ValueTask<GatewayError?> OperationDelegate(OperationContext context);
