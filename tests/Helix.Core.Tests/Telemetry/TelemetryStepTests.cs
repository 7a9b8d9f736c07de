using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Helix.Core.Providers;
using Helix.Core.Telemetry;
using Helix.Core.Tests.Pipeline;
using Helix.Testing;
using Xunit;
using static Helix.Core.Tests.Pipeline.OperationPipelineTests;
using static Helix.Core.Tests.Pipeline.PipelineHarness;

namespace Helix.Core.Tests.Telemetry;

public sealed class TelemetryStepTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CompleteChatAsync_Served_EmitsGenAISpanAndMetricsWithCost()
    {
        const string Operation = "telemetry-chat";
        await using var h = await CreateAsync(null, Route(Operation, A1.Id));
        h.Alpha.OnComplete = FakeChatProvider.Answer(FakeChatProvider.Completion(100, 10, reportedModel: "a-1-2026"));
        var spans = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == HelixTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("helix.operation"), Operation))
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == HelixTelemetry.SourceName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(measurements, Operation, instrument, value, tags));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(measurements, Operation, instrument, value, tags));
        meters.Start();

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(Operation, "req-telemetry"), Body(), Ct));

        var span = Assert.Single(spans);
        Assert.Equal($"chat {Operation}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("alpha", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("a-1", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal("a-1-2026", span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(100L, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(10L, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("req-telemetry", span.GetTagItem("helix.request_id"));
        Assert.Equal(outcome.Cost.TotalUsd!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), span.GetTagItem("helix.cost_usd"));
        Assert.Equal(outcome.Cost.Status.ToString().ToLowerInvariant(), span.GetTagItem("helix.cost_status"));
        Assert.Null(span.GetTagItem("error.type"));

        var tokens = measurements.Where(m => m.Instrument == "gen_ai.client.token.usage").ToList();
        Assert.Equal([("input", 100d), ("output", 10d)], tokens.Select(m => ((string)m.Tags["gen_ai.token.type"]!, m.Value)).OrderBy(t => t.Item1));
        var duration = Assert.Single(measurements, m => m.Instrument == "gen_ai.client.operation.duration");
        Assert.Equal(("chat", "alpha", "a-1"), ((string)duration.Tags["gen_ai.operation.name"]!, (string)duration.Tags["gen_ai.provider.name"]!, (string)duration.Tags["gen_ai.request.model"]!));
        var cost = Assert.Single(measurements, m => m.Instrument == "helix.cost_usd");
        Assert.Equal((double)outcome.Cost.TotalUsd!.Value, cost.Value, 12);
    }

    [Fact]
    public async Task CompleteChatAsync_EveryModelFails_SpanAndDurationCarryErrorType()
    {
        const string Operation = "telemetry-failing";
        await using var h = await CreateAsync(new Helix.Core.Resilience.ResilienceOptions { MaxRetriesPerModel = 0 }, Route(Operation, A1.Id));
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(ServerError());
        var spans = new ConcurrentQueue<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == HelixTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("helix.operation"), Operation))
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);

        Failed(await h.Pipeline.CompleteChatAsync(Request(Operation), Body(), Ct));

        var span = Assert.Single(spans);
        Assert.Equal("upstream_unavailable", span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    private static void Record<T>(
        ConcurrentQueue<(string, double, Dictionary<string, object?>)> into, string operation, Instrument instrument, T value,
        ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        if (Equals(copy.GetValueOrDefault("helix.operation"), operation))
        {
            into.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
        }
    }
}
