using Helix.Gateway.Configuration;
using Helix.Simulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Helix.Gateway.Tests;

/// <summary>The real gateway in-process: a fresh SQLite file, the built-in simulator standing in for every provider.</summary>
// Any type of the gateway assembly names its entry point; `Program` is ambiguous, as the simulator is a web app too.
public sealed class GatewayFactory : WebApplicationFactory<GatewayOptions>
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly string _directory;
    private readonly bool _ownsDirectory;
    private readonly Dictionary<string, string> _settings = [];

    public GatewayFactory()
        : this(Path.Combine(Path.GetTempPath(), "helix-gateway-tests", Guid.NewGuid().ToString("N")), ownsDirectory: true)
    {
    }

    /// <summary>A gateway over the database in <paramref name="directory"/>, deleted on dispose only if <paramref name="ownsDirectory"/>.</summary>
    internal GatewayFactory(string directory, bool ownsDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        if (settings is not null)
        {
            foreach (var (key, value) in settings)
            {
                _settings[key] = value;
            }
        }

        Directory.CreateDirectory(_directory);
    }

    /// <summary>Where the SQLite database lives; a fresh temporary folder unless set.</summary>
    public string? DatabaseDirectory { get; init; }

    /// <summary>Services to add or replace after the gateway's own (a fault-injecting store, say).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public SimulatorState Simulator => Services.GetRequiredService<Helix.Gateway.Providers.SimulatorHost>().Server.State;

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Helix:AdminKey", AdminKey);
        builder.UseSetting("Helix:Storage:ConnectionString", $"Data Source={Path.Combine(DatabaseDirectory ?? _directory, "helix.db")}");
        builder.UseSetting("Helix:Simulator:Enabled", "true");
        builder.UseSetting("Helix:MaxRequestBodyBytes", "65536");
        builder.UseSetting("Helix:Resilience:BaseBackoff", "00:00:00.001");
        builder.UseSetting("Helix:Resilience:MaxBackoff", "00:00:00.005");
        builder.UseSetting("Helix:Resilience:AttemptTimeout", "00:00:05");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is { } testServices)
        {
            builder.ConfigureTestServices(testServices);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
