using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Pipeline;

/// <summary>A completed, priced and logged embeddings call.</summary>
/// <param name="RequestId">Helix's id for the call.</param>
/// <param name="Operation">The route's canonical operation name.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="Response">The answer in the OpenAI <c>/v1/embeddings</c> shape, with its usage.</param>
/// <param name="Cost">What the call cost.</param>
/// <param name="Attempts">The serving attempt's number, counting across fallbacks.</param>
public sealed record EmbeddingsOutcome(
    string RequestId, string Operation, ModelConfig Model, EmbeddingsResponse Response, CostResult Cost, int Attempts);
