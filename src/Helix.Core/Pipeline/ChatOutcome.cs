using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Pipeline;

/// <summary>A completed, priced and logged chat call.</summary>
/// <param name="RequestId">Helix's id for the call.</param>
/// <param name="Operation">The operation.</param>
/// <param name="Model">The model that answered.</param>
/// <param name="Completion">The answer in the OpenAI shape, with its usage.</param>
/// <param name="Cost">What the call cost.</param>
/// <param name="Attempts">How many attempts it took, across fallbacks.</param>
public sealed record ChatOutcome(
    string RequestId, string Operation, ModelConfig Model, ChatCompletion Completion, CostResult Cost, int Attempts);
