using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
    public async Task Gateway_OtlpEndpointConfigured_ExportsTheSpanOfACallServedOverHttp()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var exports = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/traces", (HttpContext context) =>
        {
            Interlocked.Increment(ref exports);
            context.Response.ContentType = "application/x-protobuf";
            return Task.CompletedTask;
        });
        await collector.StartAsync(cancellationToken);
        using var factory = new GatewayFactory();
        using var configured = factory.WithWebHostBuilder(b => b
            .UseSetting("Helix:Telemetry:OtlpEndpoint", collector.Urls.Single() + "/v1/traces")
            .UseSetting("Helix:Telemetry:OtlpProtocol", "http/protobuf"));
        using var http = configured.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "op:chat",
            messages = new[] { new { role = "user", content = "Say hi." } },
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
        // Traces only: the meter provider is not flushed, so what arrives is the call's span.
        Assert.True(configured.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));

        Assert.True(Volatile.Read(ref exports) >= 1, "No span was exported: the sampler dropped the call's span.");
        await collector.StopAsync(cancellationToken);
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
