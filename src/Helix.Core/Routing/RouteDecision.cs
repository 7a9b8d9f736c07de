using System.Collections.Immutable;

namespace Helix.Core.Routing;

/// <summary>The resolved route of an operation: the route and the models to try, in order.</summary>
/// <remarks>Built once per snapshot, so deciding a route on the request path allocates nothing.</remarks>
/// <param name="Route">The route.</param>
/// <param name="Targets">The models to try in order: the primary, then each fallback.</param>
public sealed record RouteDecision(RouteConfig Route, ImmutableArray<ModelConfig> Targets);
