using System.Text.Json.Nodes;
using Helix.Core.Pipeline;
using Helix.Core.Providers;

namespace Helix.Core.Tests;

/// <summary>Lets the pipeline tests write their chat bodies as documents: each is read into a <see cref="ChatRequest"/> as an in-process caller's is.</summary>
internal static class JsonBodyPipelineExtensions
{
    public static Task<Result<ChatOutcome>> CompleteChatAsync(this OperationPipeline pipeline, OperationRequest request, JsonObject body, CancellationToken cancellationToken = default) =>
        pipeline.CompleteChatAsync(request, ChatRequest.FromJsonObject(body), cancellationToken);

    public static Task<Result<ChatStreamOutcome>> StreamChatAsync(this OperationPipeline pipeline, OperationRequest request, JsonObject body, CancellationToken cancellationToken = default) =>
        pipeline.StreamChatAsync(request, ChatRequest.FromJsonObject(body), cancellationToken);
}
