using Helix.Core.Hosting;
using Helix.Gateway.Configuration;
using Helix.Gateway.Providers;
using Xunit;

namespace Helix.Gateway.Tests.Hosting;

/// <summary>Each validator reports every error at once, naming the key to fix; the simulator is decided per provider.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void Helix_RefreshIntervalBelowASecond_NamesTheKey()
    {
        var result = new ValidateHelixOptions().Validate(null, new HelixOptions { RefreshInterval = TimeSpan.FromMilliseconds(10) });

        Assert.Contains("Helix:RefreshInterval", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, new string[0], true)]
    [InlineData(null, new[] { "openai" }, true)]
    [InlineData(false, new[] { "openai" }, false)]
    [InlineData(null, new[] { "openai", "deepseek", "gemini", "anthropic", "deepgram", "edge-tts" }, false)]
    [InlineData(true, new[] { "openai", "deepseek", "gemini", "anthropic", "deepgram", "edge-tts" }, false)]
    public void SimulatorWanted_WhenSomeProviderHasNeitherKeyNorUrl(bool? enabled, string[] keyed, bool wanted)
    {
        var options = new GatewayOptions { Simulator = new SimulatorSettings { Enabled = enabled } };
        foreach (var provider in keyed)
        {
            options.Providers[provider] = new ProviderSettings { ApiKey = "key" };
        }

        Assert.Equal(wanted, ProviderSetup.SimulatorWanted(options));
        var placement = ProviderPlacement.Of(options);
        Assert.Equal(keyed, placement.Real.Select(r => r.Provider));
        Assert.Equal(wanted ? ProviderSetup.AllProviders.Except(keyed) : [], placement.Simulated);
    }
}
