using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Feedback;
using Helix.Gateway.Access;
using Helix.Gateway.Configuration;

namespace Helix.Gateway.DataPlane;

/// <summary>
/// <c>POST /v1/feedback</c> <c>{"request_id","score","comment"?}</c>: the calling application's judgement of one call,
/// joined to the log by request id; the dashboard's quality per model reads it.
/// </summary>
/// <remarks>
/// The score is -1..1 or 1..5 (<see cref="FeedbackScore"/>); anything else, an unknown request id or a malformed body
/// is an OpenAI-shaped 4xx and stores nothing. Not on any call's path: one small write through the store's writer.
/// </remarks>
internal static class FeedbackEndpoint
{
    private const int MaxRequestIdLength = 128;
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext context, IFeedbackStore store, TimeProvider time, GatewayOptions options)
    {
        var (body, error, status) = await RequestBody.ReadJsonObjectAsync(context.Request, Math.Min(MaxBodyBytes, options.MaxRequestBodyBytes), context.RequestAborted);
        if (body is null)
        {
            return OpenAIErrors.InvalidRequest(error ?? "The body must be a JSON object.", context, status);
        }

        if (!JsonFields.TryString(body, "request_id", out var requestId) || string.IsNullOrWhiteSpace(requestId) || requestId.Length > MaxRequestIdLength)
        {
            return OpenAIErrors.InvalidRequest($"'request_id' is the X-Helix-Request-Id of a call, a string of at most {MaxRequestIdLength} characters.", context, param: "request_id");
        }

        if (body["score"] is not JsonValue scoreNode || scoreNode.GetValueKind() != JsonValueKind.Number || !scoreNode.TryGetValue<decimal>(out var score)
            || !FeedbackScore.TryNormalize(score, out var quality))
        {
            return OpenAIErrors.InvalidRequest("'score' is a number from -1 to 1, or from 1 to 5.", context, param: "score");
        }

        if (!JsonFields.TryString(body, "comment", out var comment) || comment?.Length > FeedbackScore.MaxCommentLength
            || comment is not null && comment.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return OpenAIErrors.InvalidRequest(
                $"'comment' is a string of at most {FeedbackScore.MaxCommentLength} characters, without control characters other than tab and line breaks.", context, param: "comment");
        }

        foreach (var (name, _) in body)
        {
            if (name is not ("request_id" or "score" or "comment"))
            {
                return OpenAIErrors.InvalidRequest($"Unknown field '{name}': send request_id, score and comment.", context, param: name);
            }
        }

        var feedback = new CallFeedback(requestId, score, quality, comment, context.GetPrincipal().Id, time.GetUtcNow());
        if (!await store.AddAsync(feedback, context.RequestAborted))
        {
            return OpenAIErrors.From(new Helix.Core.Pipeline.GatewayError("unknown_request", $"No call has the request id '{requestId}'.", 404, "invalid_request_error"), context, "request_id");
        }

        return Results.Json(new FeedbackReceipt("feedback", requestId, score, quality), statusCode: StatusCodes.Status201Created);
    }

    internal sealed record FeedbackReceipt(
        [property: System.Text.Json.Serialization.JsonPropertyName("object")] string Object,
        [property: System.Text.Json.Serialization.JsonPropertyName("request_id")] string RequestId,
        [property: System.Text.Json.Serialization.JsonPropertyName("score")] decimal Score,
        [property: System.Text.Json.Serialization.JsonPropertyName("quality")] decimal Quality);
}
