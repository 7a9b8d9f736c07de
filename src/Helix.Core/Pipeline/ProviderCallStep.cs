using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Providers;

namespace Helix.Core.Pipeline;

/// <summary>The innermost step: calls the provider for the attempt and ends the attempt when its answer is complete.</summary>
/// <remarks>
/// <para>
/// This is the one place a non-streamed attempt ends (a stream's ends in its outcome): with the answer, the
/// provider's error, the timeout, the caller's cancellation, or an adapter's exception, which is rethrown after the
/// attempt is ended (its row written) so that what reached a provider stays logged.
/// </para>
/// <para>
/// "Never sent" and "sent and failed" are told apart by the error alone: every answer from a provider carries an
/// HTTP status, so a <see cref="ProviderErrorKind.InvalidRequest"/> without one can only be an adapter refusing to
/// translate the request before any byte left (<see cref="AttemptBilling.NotSent"/>). An unreadable or broken answer
/// with a 2xx status came after the provider accepted and billed the call (a body cut mid-way, a 200 whose JSON is
/// malformed, a stream whose first event is cut): <see cref="AttemptBilling.Billed"/>, estimated since its usage is
/// lost; an error the provider wrote in a 200 body is an error like any other.
/// </para>
/// <para>
/// The call may start while the attempt's open-attempt record commits when the provider holds the request's last
/// bytes for it (<see cref="IProviderCall.HoldsRequestForRecord"/>); otherwise it waits for the commit first. Either
/// way, nothing ends the attempt before the commit succeeded; a failed commit is rethrown with the attempt unended.
/// </para>
/// </remarks>
internal sealed class ProviderCallStep(PipelineServices services)
{
    internal const string ProviderExceptionCode = "provider_exception";
    internal const string NotSentCode = "request_not_sent";

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GatewayError?> InvokeAsync(OperationContext context)
    {
        var attempt = context.Attempt ?? throw new InvalidOperationException("The provider call needs an attempt: add UseRetry to the pipeline.");
        var time = services.Time;
        var record = attempt.RecordCommitted;
        if (!record.IsCompletedSuccessfully && !context.Call.HoldsRequestForRecord(services.Providers, attempt.Target))
        {
            // This provider cannot hold its request back: it is called only once the record is durable.
            await record;
        }

        context.MarkStarted(attempt);
        ProviderResult<IMeteredResponse> result;
        try
        {
            result = await context.Call.InvokeAsync(services.Providers, attempt.Target, context, attempt.CancellationToken);
        }
        catch (OperationCanceledException) when (context.CallerToken.IsCancellationRequested)
        {
            await record;
            await attempt.EndAsync(AttemptStatus.Cancelled, AttemptBilling.NotBilled, UsageReport.Unknown(), "client_disconnected", null,
                "the caller went away before the provider answered", time.GetElapsedTime(attempt.StartedTimestamp).TotalMilliseconds);
            throw;
        }
        catch (OperationCanceledException) when (attempt.CancellationToken.IsCancellationRequested)
        {
            await record;
            result = new ProviderError(ProviderErrorKind.Timeout, attempt.TimeoutReason ?? "The attempt timed out.");
        }
        catch (Exception)
        {
            await record;
            await attempt.EndAsync(AttemptStatus.Failed, AttemptBilling.Unknown, UsageReport.Unknown(), ProviderExceptionCode, null,
                "the provider adapter threw; whether the call was billed is unknown", time.GetElapsedTime(attempt.StartedTimestamp).TotalMilliseconds);
            throw;
        }

        await WhenRecordedAsync(record, result);
        var latency = time.GetElapsedTime(attempt.StartedTimestamp).TotalMilliseconds;
        if (result.IsSuccess)
        {
            var response = result.Value;
            attempt.Response = response;
            context.Served = attempt;
            if (!response.IsStream)
            {
                await attempt.EndAsync(AttemptStatus.Success, AttemptBilling.Billed, response.Usage, null, null, null, latency);
            }

            return null;
        }

        var error = result.Error;
        attempt.Error = error;
        context.LastError = error;
        var (billing, code, reason) = Classify(error);
        await attempt.EndAsync(AttemptStatus.Failed, billing, UsageReport.Unknown(), code, error.StatusCode, reason, latency);
        return OperationContext.NextModel;
    }

    // The attempt ends (its row, its settlement) and answers only once its record is durable. When the record failed
    // the provider never had a whole request: the store's exception goes up as it would have before the call, the
    // attempt unended (its reservation released), and an answer that came anyway is let go.
    private static async ValueTask WhenRecordedAsync(Task record, ProviderResult<IMeteredResponse> result)
    {
        if (record.IsCompletedSuccessfully)
        {
            return;
        }

        try
        {
            await record;
        }
        catch (Exception) when (result.IsSuccess && result.Value is IAsyncDisposable answer)
        {
            await answer.DisposeAsync();
            throw;
        }
    }

    internal static (AttemptBilling Billing, string Code, string Reason) Classify(ProviderError error)
    {
        if (error.Kind == ProviderErrorKind.InvalidRequest && error.StatusCode is null)
        {
            return (AttemptBilling.NotSent, NotSentCode, "the adapter refused the request before sending it; nothing reached the provider");
        }

        if (error.StatusCode is >= 200 and < 300 && error.Kind is ProviderErrorKind.MalformedResponse or ProviderErrorKind.Network)
        {
            return (AttemptBilling.Billed, error.LogCode,
                $"the provider answered {error.StatusCode} and billed the call, but its answer could not be used ({error.LogCode})");
        }

        return (AttemptBilling.NotBilled, error.LogCode, $"failed call ({error.LogCode}); providers do not bill it");
    }
}
