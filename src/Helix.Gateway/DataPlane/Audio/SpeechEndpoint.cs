using Helix.Core.Pipeline;
using Helix.Core.Routing;
using Helix.Gateway.Configuration;

namespace Helix.Gateway.DataPlane.Audio;

/// <summary><c>POST /v1/audio/speech</c>: an OpenAI speech request in, the audio streamed back as the provider sends it.</summary>
/// <remarks>
/// The request is validated before anything is routed (<see cref="SpeechRequestReader"/>). Fallback happens only
/// before the first audio bytes; from then on the bytes are written to the caller as they arrive. The cost is known
/// only when the audio ends: it is sent as the <c>X-Helix-Cost-Usd</c> trailer where the connection carries trailers
/// (HTTP/2 and later), and it is in the log always. Audio that breaks after bytes were sent cannot carry an error
/// body, so the connection is aborted: a caller never mistakes a cut file for a whole one.
/// </remarks>
internal static class SpeechEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context, OperationPipeline pipeline, RouteTable routes, GatewayOptions options)
    {
        var cancellationToken = context.RequestAborted;
        if (ApprovalHeaders.Validate(context.Request) is { } badApproval)
        {
            return OpenAIErrors.From(badApproval, context);
        }

        var read = await SpeechRequestReader.ReadAsync(context, routes, options, cancellationToken);
        if (!read.IsValid)
        {
            return read.ToResult(context);
        }

        var speech = read.Value;
        var request = speech.Request;
        var response = context.Response;
        response.Headers[HelixHeaders.RequestId] = request.RequestId;
        response.Headers[HelixHeaders.Operation] = request.Operation;
        var input = new SpeechInput
        {
            Input = speech.Input,
            Voice = speech.Voice,
            ResponseFormat = speech.ResponseFormat,
            Speed = speech.Speed,
            Instructions = speech.Instructions,
        };
        var result = await pipeline.SpeakAsync(request, input, cancellationToken);
        if (!result.IsSuccess)
        {
            return OpenAIErrors.From(result.Error, context);
        }

        await using var outcome = result.Value;
        var started = false;
        await foreach (var audio in outcome.ReadAsync(cancellationToken))
        {
            if (!started)
            {
                response.Headers[HelixHeaders.Model] = outcome.Model.Id;
                response.ContentType = outcome.ContentType;
                response.Headers.CacheControl = "no-cache";
                if (response.SupportsTrailers())
                {
                    response.DeclareTrailer(HelixHeaders.CostUsd);
                    response.DeclareTrailer(HelixHeaders.CostStatus);
                }

                await response.StartAsync(cancellationToken);
                started = true;
            }

            await response.Body.WriteAsync(audio, cancellationToken);
        }

        if (outcome.Error is { } error)
        {
            if (!started)
            {
                return OpenAIErrors.From(GatewayError.UpstreamUnavailable($"{outcome.Model.Id} sent no audio: {error.Message}"), context);
            }

            context.Abort();
            return Results.Empty;
        }

        if (!started)
        {
            response.Headers[HelixHeaders.Model] = outcome.Model.Id;
            response.ContentType = outcome.ContentType;
        }

        if (response.SupportsTrailers() && outcome.Cost is { } cost)
        {
            response.AppendTrailer(HelixHeaders.CostUsd, ChatCompletionsEndpoint.FormatCost(cost));
            response.AppendTrailer(HelixHeaders.CostStatus, ChatCompletionsEndpoint.StatusName(cost.Status));
        }

        return Results.Empty;
    }
}
