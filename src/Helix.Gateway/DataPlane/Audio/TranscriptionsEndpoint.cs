using Helix.Core.Pipeline;
using Helix.Core.Routing;
using Helix.Gateway.Configuration;

namespace Helix.Gateway.DataPlane.Audio;

/// <summary><c>POST /v1/audio/transcriptions</c>: an OpenAI multipart form in, the Helix pipeline, the transcript in the caller's <c>response_format</c>.</summary>
/// <remarks>
/// The form is validated and the audio inspected before anything is routed (<see cref="TranscriptionRequestReader"/>):
/// the provider gets the container the bytes really are, and the pipeline the duration and channels read from the
/// header, so the worst case a budget reserves is exact. The call is priced from the provider's usage: audio seconds ×
/// billed channels, or audio tokens.
/// </remarks>
internal static class TranscriptionsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, OperationPipeline pipeline, RouteTable routes, GatewayOptions options)
    {
        var cancellationToken = context.RequestAborted;
        if (ApprovalHeaders.Validate(context.Request) is { } badApproval)
        {
            return OpenAIErrors.From(badApproval, context);
        }

        var read = await TranscriptionRequestReader.ReadAsync(context, routes, options, cancellationToken);
        if (!read.IsValid)
        {
            return read.ToResult(context);
        }

        var transcription = read.Value;
        var request = transcription.Request;
        context.Response.Headers[HelixHeaders.RequestId] = request.RequestId;
        context.Response.Headers[HelixHeaders.Operation] = request.Operation;
        var input = new TranscriptionInput
        {
            Audio = transcription.Audio,
            FileName = transcription.FileName,
            ContentType = transcription.Inspected.ContentType,
            DurationSeconds = transcription.Inspected.DurationSeconds,
            Channels = transcription.Inspected.Channels ?? 1,
            Language = transcription.Language,
            Prompt = transcription.Prompt,
            Temperature = transcription.Temperature,
            Multichannel = transcription.Multichannel,
        };
        var result = await pipeline.TranscribeAsync(request, input, cancellationToken);
        if (!result.IsSuccess)
        {
            return OpenAIErrors.From(result.Error, context);
        }

        var outcome = result.Value;
        context.Response.Headers[HelixHeaders.Model] = outcome.Model.Id;
        context.Response.Headers[HelixHeaders.CostUsd] = ChatCompletionsEndpoint.FormatCost(outcome.Cost);
        context.Response.Headers[HelixHeaders.CostStatus] = ChatCompletionsEndpoint.StatusName(outcome.Cost.Status);
        var (body, contentType) = TranscriptRenderer.Render(outcome.Transcript, transcription.Format, transcription.Inspected.DurationSeconds, transcription.Temperature);
        return Results.Bytes(body, contentType);
    }
}
