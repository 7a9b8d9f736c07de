using Helix.Core.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Helix.Gateway.Hosting;

/// <summary>Registers the OpenTelemetry SDK with an OTLP exporter for Helix's traces and metrics, only when configured.</summary>
/// <remarks>
/// The pipeline emits through <c>System.Diagnostics</c> (<see cref="HelixTelemetry"/>) whether or not anyone listens;
/// this only subscribes an exporter to it. Without <c>Helix:Telemetry:OtlpEndpoint</c> nothing is registered.
/// </remarks>
internal static class TelemetrySetup
{
    public const string OtlpEndpointKey = "Helix:Telemetry:OtlpEndpoint";
    public const string OtlpProtocolKey = "Helix:Telemetry:OtlpProtocol";

    /// <exception cref="OptionsValidationException">The endpoint is not an absolute http(s) URI, or the protocol is unknown.</exception>
    public static IServiceCollection AddHelixOpenTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration[OtlpEndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return services;
        }

        List<string> errors = [];
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Set {OtlpEndpointKey} to an absolute http or https URI (an OTLP collector, e.g. http://localhost:4317), or leave it empty; it is '{endpoint}'.");
        }

        var protocol = configuration[OtlpProtocolKey] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => Invalid(other, errors),
        };
        if (errors.Count > 0)
        {
            throw new OptionsValidationException("Helix:Telemetry", typeof(TelemetrySetup), errors);
        }

        void Exporter(OtlpExporterOptions options)
        {
            options.Endpoint = uri!;
            options.Protocol = protocol;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("helix-gateway"))
            // Always on: the default parent-based sampler drops every Helix span, whose local parent is ASP.NET Core's
            // request activity, which this provider does not record. A span still joins its caller's trace (same id).
            .WithTracing(tracing => tracing.AddSource(HelixTelemetry.SourceName).SetSampler(new AlwaysOnSampler()).AddOtlpExporter(Exporter))
            .WithMetrics(metrics => metrics.AddMeter(HelixTelemetry.SourceName).AddOtlpExporter(Exporter));
        return services;
    }

    private static OtlpExportProtocol Invalid(string protocol, List<string> errors)
    {
        errors.Add($"Set {OtlpProtocolKey} to 'grpc' or 'http/protobuf'; it is '{protocol}'.");
        return OtlpExportProtocol.Grpc;
    }
}
