using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Hosting;

/// <summary>Configuration is read once at start-up: no settings file is watched for changes.</summary>
/// <remarks>
/// A watched appsettings.json puts a recursive file watcher on the content root, where the SQLite log lives by
/// default (data/helix.db): every commit then woke the watcher's thread, about a tenth of a core at one caller.
/// </remarks>
public sealed class ConfigurationReloadTests
{
    [Fact]
    public async Task SettingsFiles_AreNotWatchedForChanges()
    {
        await using var factory = new GatewayFactory();
        using var client = factory.CreateClient();
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();

        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.Contains(files, file => file.Source.Path is { } path && path.EndsWith("appsettings.json", StringComparison.Ordinal));
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched for changes"));
    }
}
