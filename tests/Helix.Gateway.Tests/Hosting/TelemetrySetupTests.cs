using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace Helix.Gateway.Tests.Hosting;

public sealed class TelemetrySetupTests
{
    [Fact]
    public void Gateway_OtlpEndpointConfigured_RegistersTracerAndMeterProviders()
    {
        using var factory = new GatewayFactory();
        using var configured = factory.WithWebHostBuilder(b => b.UseSetting("Helix:Telemetry:OtlpEndpoint", "http://127.0.0.1:4317"));

        Assert.NotNull(configured.Services.GetService<TracerProvider>());
        Assert.NotNull(configured.Services.GetService<MeterProvider>());
    }

    [Fact]
    public void Gateway_NoOtlpEndpoint_RegistersNoOpenTelemetrySdk()
    {
        using var factory = new GatewayFactory();

        Assert.Null(factory.Services.GetService<TracerProvider>());
    }

    [Fact]
    public void Gateway_OtlpEndpointNotAUri_RefusesToStartNamingTheKey()
    {
        using var factory = new GatewayFactory();
        using var configured = factory.WithWebHostBuilder(b => b.UseSetting("Helix:Telemetry:OtlpEndpoint", "collector:4317"));

        var error = Assert.ThrowsAny<Exception>(() => configured.Services);
        var messages = string.Join("\n", Chain(error).Select(e => e.Message));
        Assert.Contains("Set Helix:Telemetry:OtlpEndpoint to an absolute http or https URI", messages, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            yield return error;
        }
    }
}
