namespace Helix.Core.Pipeline;

/// <summary>A model of the route that was not tried, and why.</summary>
/// <param name="ModelId">The catalog id of the model.</param>
/// <param name="Code">A stable code: <c>provider_not_configured</c>, <c>price_unknown</c>, <c>circuit_open</c>, or a step's own.</param>
/// <param name="Reason">A sentence naming the model and the cause.</param>
public readonly record struct ModelSkip(string ModelId, string Code, string Reason);
