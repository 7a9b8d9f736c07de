using Helix.Gateway.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Helix.Cli.Tests.Admin;

/// <summary>The real gateway in-process (a fresh SQLite file, the built-in simulator for every provider), for the CLI to talk to.</summary>
// Any type of the gateway assembly names its entry point; `Program` is ambiguous, as the simulator is a web app too.
public sealed class InProcessGateway : WebApplicationFactory<GatewayOptions>
{
    public const string AdminKey = "cli-test-admin-key-0123456789";

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "helix-cli-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(Directory, "helix.db");

    /// <summary>The environment the CLI reads its gateway and key from.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["HELIX_URL"] = "http://localhost",
        ["HELIX_ADMIN_KEY"] = AdminKey,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        System.IO.Directory.CreateDirectory(Directory);
        builder.UseSetting("Helix:AdminKey", AdminKey);
        builder.UseSetting("Helix:Storage:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Helix:Simulator:Enabled", "true");
    }

    /// <summary>Runs SQL on the database file behind the gateway's back (a tampering test).</summary>
    public void EditDatabase(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
