using System.Diagnostics;
using System.Globalization;
using Helix.Core.Pipeline;
using Helix.Core.Routing;

namespace Helix.Core.Telemetry;

/// <summary>One span and the GenAI client metrics per call, with Helix's cost, for any OpenTelemetry backend.</summary>
/// <remarks>
/// <para>
/// Per call, outermost. The span (<c>{gen_ai.operation.name} {operation}</c>, kind client) starts when the call
/// enters and ends when the call ended: a stream's when the stream ended, after its cost and row are final. It
/// carries <c>gen_ai.operation.name</c>, <c>gen_ai.provider.name</c> (and the older <c>gen_ai.system</c>),
/// <c>gen_ai.request.model</c>, <c>gen_ai.response.model</c>, <c>gen_ai.usage.input_tokens</c> and
/// <c>output_tokens</c>, <c>error.type</c> on failure, and <c>helix.operation</c>, <c>helix.request_id</c>,
/// <c>helix.attempts</c>, <c>helix.cost_usd</c> (a decimal string) and <c>helix.cost_status</c>.
/// </para>
/// <para>
/// Metrics: <c>gen_ai.client.operation.duration</c> and <c>gen_ai.client.token.usage</c>, and the
/// <c>helix.cost_usd</c> counter. Money is a <see langword="decimal"/> everywhere in Helix; the counter alone takes a
/// <see langword="double"/>, as metric instruments do. Thread-safe.
/// </para>
/// </remarks>
public sealed class TelemetryStep : IOperationStep
{
    private readonly TimeProvider _time;

    /// <summary>Creates the step; durations are measured on <paramref name="time"/>.</summary>
    public TelemetryStep(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>The <c>gen_ai.operation.name</c> of a modality.</summary>
    public static string OperationNameOf(Modality modality) => modality switch
    {
        Modality.Chat => "chat",
        Modality.Embeddings => "embeddings",
        Modality.Transcription => "transcription",
        _ => "speech",
    };

    /// <inheritdoc/>
    public ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var operationName = OperationNameOf(context.Call.Modality);
        var activity = HelixTelemetry.ActivitySource.HasListeners()
            ? HelixTelemetry.ActivitySource.StartActivity($"{operationName} {context.Operation}", ActivityKind.Client)
            : null;

        // Nobody listening costs nothing beyond these checks: no span, no callback, no tags.
        if (activity is null && !HelixTelemetry.OperationDuration.Enabled && !HelixTelemetry.TokenUsage.Enabled && !HelixTelemetry.Cost.Enabled)
        {
            return next(context);
        }

        var started = _time.GetTimestamp();
        context.OnCallEnded(ended =>
        {
            Record(ended, activity, operationName, _time.GetElapsedTime(started));
            return ValueTask.CompletedTask;
        });
        return next(context);
    }

    private static void Record(OperationContext context, Activity? activity, string operationName, TimeSpan duration)
    {
        var served = context.Served;
        var attempt = served ?? (context.Attempts.Count > 0 ? context.Attempts[^1] : null);
        var target = attempt?.Target;
        var usage = served?.Usage ?? default;
        var errorType = context.Exception switch
        {
            OperationCanceledException => "cancelled",
            { } ex => ex.GetType().FullName,
            null => context.Error?.Code ?? (served is { Status: not OperationLog.AttemptStatus.Success } ? served.ErrorCode : null),
        };

        var tags = new TagList
        {
            { "gen_ai.operation.name", operationName },
            { "helix.operation", context.Operation },
        };
        if (target is not null)
        {
            tags.Add("gen_ai.provider.name", target.Provider);
            tags.Add("gen_ai.request.model", target.ProviderModel);
        }

        if (served is not null)
        {
            tags.Add("gen_ai.response.model", usage.ReportedModel ?? served.Target.ProviderModel);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        HelixTelemetry.OperationDuration.Record(duration.TotalSeconds, tags);
        if (usage.IsKnown)
        {
            var input = tags;
            input.Add("gen_ai.token.type", "input");
            HelixTelemetry.TokenUsage.Record(usage.Meters.PromptTokens, input);
            var output = tags;
            output.Add("gen_ai.token.type", "output");
            HelixTelemetry.TokenUsage.Record(usage.Meters.CompletionTokens, output);
        }

        if (served?.Cost.TotalUsd is { } cost)
        {
            HelixTelemetry.Cost.Add((double)cost, tags);
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.operation.name", operationName);
        activity.SetTag("helix.operation", context.Operation);
        activity.SetTag("helix.request_id", context.RequestId);
        activity.SetTag("helix.attempts", context.Attempts.Count);
        if (target is not null)
        {
            activity.SetTag("gen_ai.provider.name", target.Provider);
            activity.SetTag("gen_ai.system", target.Provider);
            activity.SetTag("gen_ai.request.model", target.ProviderModel);
        }

        if (served is not null)
        {
            activity.SetTag("gen_ai.response.model", usage.ReportedModel ?? served.Target.ProviderModel);
            if (usage.IsKnown)
            {
                activity.SetTag("gen_ai.usage.input_tokens", usage.Meters.PromptTokens);
                activity.SetTag("gen_ai.usage.output_tokens", usage.Meters.CompletionTokens);
            }

            if (served.Cost.TotalUsd is { } total)
            {
                activity.SetTag("helix.cost_usd", total.ToString(CultureInfo.InvariantCulture));
            }

            activity.SetTag("helix.cost_status", CostStatusTag(served.Cost.Status));
        }

        if (errorType is not null)
        {
            activity.SetTag("error.type", errorType);
            activity.SetStatus(ActivityStatusCode.Error, context.Error?.Message ?? context.Exception?.Message ?? served?.ErrorCode);
        }

        activity.Dispose();
    }

    // The enum's name in lower case, as constants: no boxing or lower-casing per span.
    private static string CostStatusTag(Pricing.CostStatus status) => status switch
    {
        Pricing.CostStatus.Priced => "priced",
        Pricing.CostStatus.Estimated => "estimated",
        Pricing.CostStatus.Unpriced => "unpriced",
        Pricing.CostStatus.NotBilled => "notbilled",
        _ => status.ToString().ToLowerInvariant(),
    };
}
