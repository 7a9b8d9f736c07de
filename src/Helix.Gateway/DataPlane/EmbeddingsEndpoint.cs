using Helix.Core.Pipeline;
using Helix.Core.Routing;
using Helix.Gateway.Configuration;

namespace Helix.Gateway.DataPlane;

/// <summary><c>POST /v1/embeddings</c>: the OpenAI wire format in, the Helix pipeline, the OpenAI wire format out.</summary>
/// <remarks>
/// The body is validated (<see cref="EmbeddingsRequestReader"/>) and passed on unchanged; the answer's bytes are the
/// adapter's OpenAI-shaped body. The call is priced from its input tokens.
/// </remarks>
internal static class EmbeddingsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, OperationPipeline pipeline, RouteTable routes, GatewayOptions options)
    {
        var cancellationToken = context.RequestAborted;
        if (ApprovalHeaders.Validate(context.Request) is { } badApproval)
        {
            return OpenAIErrors.From(badApproval, context);
        }

        var read = await EmbeddingsRequestReader.ReadAsync(context, routes, options, cancellationToken);
        if (!read.IsValid)
        {
            return read.ToResult(context);
        }

        var request = read.Value.Request;
        context.Response.Headers[HelixHeaders.RequestId] = request.RequestId;
        context.Response.Headers[HelixHeaders.Operation] = request.Operation;
        var result = await pipeline.EmbedAsync(request, read.Value.Body, cancellationToken);
        if (!result.IsSuccess)
        {
            return OpenAIErrors.From(result.Error, context);
        }

        var outcome = result.Value;
        context.Response.Headers[HelixHeaders.Model] = outcome.Model.Id;
        context.Response.Headers[HelixHeaders.CostUsd] = ChatCompletionsEndpoint.FormatCost(outcome.Cost);
        context.Response.Headers[HelixHeaders.CostStatus] = ChatCompletionsEndpoint.StatusName(outcome.Cost.Status);
        return Results.Bytes(outcome.Response.Body, "application/json");
    }
}
