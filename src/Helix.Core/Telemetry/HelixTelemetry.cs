using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Helix.Core.Telemetry;

/// <summary>The names under which Helix emits traces and metrics, for an OpenTelemetry SDK to subscribe to.</summary>
/// <remarks>
/// Spans and metrics follow the OpenTelemetry GenAI semantic conventions (<c>gen_ai.*</c>), plus Helix's own
/// <c>helix.*</c> attributes and the <c>helix.cost_usd</c> counter. Only <c>System.Diagnostics</c> is used: without a
/// listener nothing is recorded and almost nothing is spent. Thread-safe.
/// </remarks>
public static class HelixTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and the <see cref="Meter"/>.</summary>
    public const string SourceName = "Helix.ControlPlane";

    /// <summary>The source of one span per call.</summary>
    public static ActivitySource ActivitySource { get; } = new(SourceName);

    /// <summary>The meter of the GenAI client metrics and Helix's cost.</summary>
    public static Meter Meter { get; } = new(SourceName);

    /// <summary><c>gen_ai.client.token.usage</c>: tokens per call, tagged <c>gen_ai.token.type</c> input or output.</summary>
    public static Histogram<long> TokenUsage { get; } = Meter.CreateHistogram<long>(
        "gen_ai.client.token.usage", "{token}", "Number of input and output tokens used.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });

    /// <summary><c>gen_ai.client.operation.duration</c>: seconds per call, until its answer (a stream's too) was complete.</summary>
    public static Histogram<double> OperationDuration { get; } = Meter.CreateHistogram<double>(
        "gen_ai.client.operation.duration", "s", "GenAI operation duration.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });

    /// <summary><c>helix.cost_usd</c>: what calls cost, in USD, summed (estimated costs included; unpriced ones are not).</summary>
    public static Counter<double> Cost { get; } = Meter.CreateCounter<double>("helix.cost_usd", "USD", "What the calls cost, as Helix priced them.");
}
