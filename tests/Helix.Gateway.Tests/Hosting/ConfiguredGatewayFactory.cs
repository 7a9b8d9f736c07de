using Helix.Gateway.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helix.Gateway.Tests.Hosting;

/// <summary>The real gateway in-process with the settings a test gives (no simulator forced on), capturing its log.</summary>
internal sealed class ConfiguredGatewayFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<GatewayOptions>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helix-gateway-tests", Guid.NewGuid().ToString("N"));

    public CapturingLoggerProvider Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseSetting("Helix:AdminKey", GatewayFactory.AdminKey);
        builder.UseSetting("Helix:Storage:ConnectionString", $"Data Source={Path.Combine(_directory, "helix.db")}");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(Log)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
