using Helix.Core.Resilience;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.Resilience;

public sealed class CircuitBreakerRegistryTests
{
    [Fact]
    public void For_SameModelInAnyCase_ReturnsSameCircuit()
    {
        var registry = new CircuitBreakerRegistry(new ResilienceOptions(), new FakeTimeProvider());

        var circuit = registry.For("openai/gpt-4o");

        Assert.Same(circuit, registry.For("OpenAI/GPT-4o"));
        Assert.NotSame(circuit, registry.For("openai/gpt-4o-mini"));
    }

    [Fact]
    public void For_NewCircuit_FollowsOptionsThresholdAndBreak()
    {
        var time = new FakeTimeProvider();
        var options = new ResilienceOptions { CircuitFailureThreshold = 2, CircuitBreakDuration = TimeSpan.FromSeconds(5) };
        var registry = new CircuitBreakerRegistry(options, time);
        var circuit = registry.For("deepseek/deepseek-chat");

        circuit.RecordFailure();
        Assert.False(circuit.IsOpen);
        circuit.RecordFailure();
        Assert.True(circuit.IsOpen);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(circuit.IsOpen);
        Assert.False(registry.For("gemini/gemini-2.5-flash").IsOpen);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new CircuitBreakerRegistry(null!, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new CircuitBreakerRegistry(new ResilienceOptions(), null!));
    }
}
