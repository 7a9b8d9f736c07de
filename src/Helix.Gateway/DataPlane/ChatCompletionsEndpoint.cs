using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Gateway.Access;
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

    public static async Task<IResult> HandleAsync(HttpContext context, OperationPipeline pipeline, OperationLogWriter log, GatewayOptions options)
    {
        var cancellationToken = context.RequestAborted;
        if (ApprovalHeaders.Validate(context.Request) is { } badApproval)
        {
            return OpenAIErrors.From(badApproval, context);
        }

        var (body, error, status, param) = await RequestBody.ReadChatAsync(context.Request, options.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            return OpenAIErrors.InvalidRequest(error!, context, status, param);
        }

        // The body's bytes are rented: they are given back when the call has ended, its stream included.
        using (body)
        {
            return await HandleAsync(context, body, pipeline, log);
        }
    }

    private static async Task<IResult> HandleAsync(HttpContext context, ChatRequest body, OperationPipeline pipeline, OperationLogWriter log)
    {
        var cancellationToken = context.RequestAborted;
        if (!OperationName.TryResolve(context.Request, body.Model, out var operation, out var operationError))
        {
            return OpenAIErrors.From(operationError!, context, param: "model");
        }

        if (!TryReadUser(context.Request, body, out var user))
        {
            return OpenAIErrors.InvalidRequest(
                $"'{HelixHeaders.User}' must be at most {ChatRequest.MaxUserLength} characters, without control characters.", context);
        }

        // A failing store is known before any provider is called: refuse at once rather than spend what cannot be logged.
        if (!log.IsStoreAvailable)
        {
            throw new StoreUnavailableException();
        }

        var request = new OperationRequest
        {
            Operation = operation,
            RequestId = RequestIds.New(),
            Principal = context.GetPrincipal(),
            User = user,
            RequestHash = ApprovalHeaders.BodyHashOf(context),
            ApprovalId = ApprovalHeaders.Id(context.Request),
            ApprovalWait = ApprovalHeaders.WaitFor(context.Request),
        };
        context.Response.Headers[HelixHeaders.RequestId] = request.RequestId;
        context.Response.Headers[HelixHeaders.Operation] = operation;

        if (!body.Stream)
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
        await WriteStreamAsync(context, open, body.IncludeUsage, cancellationToken);
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
        StoreUnavailableException? storeFailure = null;
        try
        {
            await foreach (var chunk in outcome.ReadAsync(cancellationToken))
            {
                if (chunk.IsUsageOnly)
                {
                    if (clientWantsUsage)
                    {
                        WriteUsageEvent(writer, chunk, outcome);
                        await writer.FlushAsync(cancellationToken);
                    }

                    continue;
                }

                WriteEvent(writer, chunk.Json.Span);
                await writer.FlushAsync(cancellationToken);
            }
        }
        catch (StoreUnavailableException ex)
        {
            // The stream's row could not be committed: it is held by the writer and reaches the log once the store
            // recovers, but the caller is not told the call is logged (no usage chunk, no [DONE]).
            storeFailure = ex;
        }

        if (storeFailure is not null)
        {
            WriteEvent(writer, OpenAIErrors.Utf8(storeFailure.Message, "server_error", StoreUnavailableException.Code));
        }
        else if (outcome.Error is { } error)
        {
            WriteEvent(writer, OpenAIErrors.Utf8($"The stream from {outcome.Model.Id} broke: {error.Message}", "server_error", "upstream_unavailable"));
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

    // The usage chunk with Helix's part added: written straight after the provider's object (its closing brace
    // dropped) without parsing it, unless it is not a plain object or already carries a "helix" member (a Helix
    // upstream), which the parsed path replaces.
    private static void WriteUsageEvent(System.IO.Pipelines.PipeWriter writer, StreamChunk chunk, ChatStreamOutcome outcome)
    {
        var json = chunk.Json.Span.Trim(" \t\r\n"u8);
        if (json.Length < 2 || json[0] != (byte)'{' || json[^1] != (byte)'}' || json.IndexOf("\"helix\""u8) >= 0)
        {
            WriteEvent(writer, WithCost(chunk, outcome));
            return;
        }

        writer.Write(DataPrefix);
        writer.Write(json[..^1]);
        writer.Write(json[1..^1].Trim(" \t\r\n"u8).IsEmpty ? "\"helix\":"u8 : ",\"helix\":"u8);
        using var helix = new Utf8JsonWriter(writer);
        helix.WriteStartObject();
        helix.WriteString("request_id"u8, outcome.RequestId);
        helix.WriteString("operation"u8, outcome.Operation);
        helix.WriteString("model"u8, outcome.Model.Id);
        if (outcome.Cost is { } cost)
        {
            if (cost.TotalUsd is { } total)
            {
                Span<char> digits = stackalloc char[64];
                helix.WriteString("cost_usd"u8, Usd.TryFormat(total, digits, out var written) ? digits[..written] : Usd.Format(total));
            }
            else
            {
                helix.WriteString("cost_usd"u8, "unpriced"u8);
            }

            helix.WriteString("cost_status"u8, StatusName(cost.Status));
        }

        helix.WriteEndObject();
        helix.Flush();
        writer.Write("}"u8);
        writer.Write(EventEnd);
    }

    // The parsed path of the usage chunk (see WriteUsageEvent).
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

    private static bool TryReadUser(HttpRequest request, ChatRequest body, out string? user)
    {
        if (request.Headers.TryGetValue(HelixHeaders.User, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            user = header.ToString();
            return ChatRequest.IsValidUser(user);
        }

        // The read has checked the field's type and length already.
        user = body.User;
        return true;
    }
}
