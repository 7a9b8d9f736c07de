using Helix.Core.Hosting;
using Helix.Core.Resilience;
using Helix.Gateway.Configuration;
using Helix.Gateway.Providers;
using Xunit;

namespace Helix.Gateway.Tests.Hosting;

/// <summary>Each validator reports every error at once, naming the key to fix; the simulator is decided per provider.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void Resilience_Defaults_AreValid()
    {
        Assert.True(new ValidateResilienceOptions().Validate(null, new ResilienceOptions()).Succeeded);
    }

    [Fact]
    public void Resilience_SeveralErrors_AreAllReportedWithTheirKeys()
    {
        var result = new ValidateResilienceOptions().Validate(null, new ResilienceOptions
        {
            AttemptTimeout = TimeSpan.Zero,
            BaseBackoff = TimeSpan.FromSeconds(10),
            MaxBackoff = TimeSpan.FromSeconds(1),
            CircuitFailureThreshold = 0,
        });

        Assert.True(result.Failed);
        var failures = result.Failures!.ToArray();
        Assert.Contains(failures, f => f.StartsWith("Helix:Resilience:AttemptTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Helix:Resilience:BaseBackoff", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Helix:Resilience:CircuitFailureThreshold", StringComparison.Ordinal));
    }

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
    [InlineData(null, new[] { "openai", "deepseek", "gemini", "anthropic" }, false)]
    [InlineData(true, new[] { "openai", "deepseek", "gemini", "anthropic" }, false)]
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
        Assert.Equal(wanted ? ProviderSetup.ChatProviders.Except(keyed) : [], placement.Simulated);
    }
}
