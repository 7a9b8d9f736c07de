using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Gateway.Configuration;

namespace Helix.Gateway.DataPlane;

/// <summary><c>POST /v1/chat/completions</c>: the OpenAI wire format in, the Helix pipeline, the OpenAI wire format out.</summary>
/// <remarks>
/// The handler only maps the wire: the operation comes from <c>model: "op:&lt;name&gt;"</c> or <c>X-Helix-Operation</c>,
/// the end user from <c>user</c> or <c>X-Helix-User</c>. Bodies are passed as bytes (no re-serialisation of an
/// OpenAI-compatible upstream's answer). A stream's cost is known only at its end: it rides in the final usage
/// chunk (<c>helix.cost_usd</c>) when the caller asks for usage, and in the log always.
/// </remarks>
internal static class ChatCompletionsEndpoint
{
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;
    private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    public static async Task<IResult> HandleAsync(HttpContext context, OperationPipeline pipeline, GatewayOptions options)
    {
        var cancellationToken = context.RequestAborted;
        var (body, error, status) = await RequestBody.ReadJsonObjectAsync(context.Request, options.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            return OpenAIErrors.InvalidRequest(error!, context, status);
        }

        if (body["messages"] is not JsonArray { Count: > 0 })
        {
            return OpenAIErrors.InvalidRequest("'messages' is required and must be a non-empty array.", context);
        }

        if (!OperationName.TryResolve(context.Request, body, out var operation, out var operationError))
        {
            return OpenAIErrors.From(operationError!, context);
        }

        var request = new OperationRequest
        {
            Operation = operation,
            RequestId = RequestIds.New(),
            Principal = Principal.Anonymous,
            User = ReadUser(context.Request, body),
        };
        context.Response.Headers[HelixHeaders.RequestId] = request.RequestId;
        context.Response.Headers[HelixHeaders.Operation] = operation;

        var stream = body["stream"] is JsonValue s && s.TryGetValue<bool>(out var wantsStream) && wantsStream;
        if (!stream)
        {
            var result = await pipeline.CompleteChatAsync(request, body, cancellationToken);
            if (!result.IsSuccess)
            {
                return OpenAIErrors.From(result.Error, context);
            }

            var outcome = result.Value;
            context.Response.Headers[HelixHeaders.Model] = outcome.Model.Id;
            context.Response.Headers[HelixHeaders.CostUsd] = FormatCost(outcome.Cost);
            context.Response.Headers[HelixHeaders.CostStatus] = StatusName(outcome.Cost.Status);
            return Results.Bytes(outcome.Completion.Body, "application/json");
        }

        var streamResult = await pipeline.StreamChatAsync(request, body, cancellationToken);
        if (!streamResult.IsSuccess)
        {
            return OpenAIErrors.From(streamResult.Error, context);
        }

        await using var open = streamResult.Value;
        await WriteStreamAsync(context, open, ClientWantsUsage(body), cancellationToken);
        return Results.Empty;
    }

    private static async Task WriteStreamAsync(HttpContext context, ChatStreamOutcome outcome, bool clientWantsUsage, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.Headers[HelixHeaders.Model] = outcome.Model.Id;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancellationToken);

        var writer = response.BodyWriter;
        await foreach (var chunk in outcome.ReadAsync(cancellationToken))
        {
            if (chunk.IsUsageOnly)
            {
                if (clientWantsUsage)
                {
                    WriteEvent(writer, WithCost(chunk, outcome));
                    await writer.FlushAsync(cancellationToken);
                }

                continue;
            }

            WriteEvent(writer, chunk.Json.Span);
            await writer.FlushAsync(cancellationToken);
        }

        if (outcome.Error is { } error)
        {
            var errorEvent = JsonSerializer.SerializeToUtf8Bytes(new OpenAIErrors.ErrorBody(new OpenAIErrors.ErrorDetail(
                $"The stream from {outcome.Model.Id} broke: {error.Message}", "server_error", null, "upstream_unavailable")));
            WriteEvent(writer, errorEvent);
        }
        else
        {
            writer.Write(Done);
        }

        if (response.SupportsTrailers() && outcome.Cost is { } cost)
        {
            response.AppendTrailer(HelixHeaders.CostUsd, FormatCost(cost));
        }

        await writer.FlushAsync(cancellationToken);
    }

    private static void WriteEvent(System.IO.Pipelines.PipeWriter writer, ReadOnlySpan<byte> json)
    {
        writer.Write(DataPrefix);
        writer.Write(json);
        writer.Write(EventEnd);
    }

    // One chunk per stream: parsing it to add Helix's cost is cheap next to the call.
    private static byte[] WithCost(StreamChunk chunk, ChatStreamOutcome outcome)
    {
        if (JsonNode.Parse(chunk.Json.Span) is not JsonObject node)
        {
            return chunk.Json.ToArray();
        }

        var helix = new JsonObject
        {
            ["request_id"] = outcome.RequestId,
            ["operation"] = outcome.Operation,
            ["model"] = outcome.Model.Id,
        };
        if (outcome.Cost is { } cost)
        {
            helix["cost_usd"] = FormatCost(cost);
            helix["cost_status"] = StatusName(cost.Status);
        }

        node["helix"] = helix;
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }

    internal static string FormatCost(CostResult cost) =>
        cost.TotalUsd is { } total ? Usd.Format(total) : "unpriced";

    internal static string StatusName(CostStatus status) => status switch
    {
        CostStatus.Priced => "priced",
        CostStatus.Estimated => "estimated",
        CostStatus.Unpriced => "unpriced",
        _ => "not_billed",
    };

    private static bool ClientWantsUsage(JsonObject body) =>
        body["stream_options"] is JsonObject options && options["include_usage"] is JsonValue include
        && include.TryGetValue<bool>(out var wants) && wants;

    private static string? ReadUser(HttpRequest request, JsonObject body)
    {
        if (request.Headers.TryGetValue(HelixHeaders.User, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return header.ToString();
        }

        return body["user"] is JsonValue user && user.TryGetValue<string>(out var name) && !string.IsNullOrWhiteSpace(name) ? name : null;
    }
}
