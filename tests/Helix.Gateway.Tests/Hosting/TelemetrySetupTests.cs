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

        // The gateway prints the key to fix and exits with status 1 (ConfigurationErrorTests checks the message on a
        // real process); in-process, the host is never built.
        var error = Assert.ThrowsAny<Exception>(() => configured.Services);
        Assert.NotEmpty(Chain(error));
    }

    private static IEnumerable<Exception> Chain(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            yield return error;
        }
    }
}
