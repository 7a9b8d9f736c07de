using System.Text.Json.Nodes;
using Helix.Core.Pipeline;
using Helix.Core.Routing;

namespace Helix.Gateway.DataPlane;

/// <summary>A <c>POST /v1/embeddings</c> call that passed validation.</summary>
/// <param name="Request">Who calls which operation.</param>
/// <param name="Route">The operation's route, as validated against.</param>
/// <param name="Body">The caller's body, passed on unchanged (unknown fields reach an OpenAI-compatible upstream intact).</param>
/// <param name="InputCount">How many inputs the call embeds.</param>
internal sealed record EmbeddingsRequest(OperationRequest Request, RouteDecision Route, JsonObject Body, int InputCount);
