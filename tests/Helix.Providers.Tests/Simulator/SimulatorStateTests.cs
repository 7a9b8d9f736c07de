using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Simulator;

public sealed class SimulatorStateTests
{
    [Fact]
    public void GetBehavior_Overrides_MostSpecificWins()
    {
        var state = new SimulatorState();
        var anyOpenAI = new SimulatorBehavior { CompletionTokens = 1 };
        var anyGpt4o = new SimulatorBehavior { CompletionTokens = 2 };
        var openAIGpt4o = new SimulatorBehavior { CompletionTokens = 3 };
        state.SetBehavior("openai", null, anyOpenAI);
        state.SetBehavior(null, "gpt-4o", anyGpt4o);
        state.SetBehavior("openai", "gpt-4o", openAIGpt4o);

        Assert.Same(openAIGpt4o, state.GetBehavior("OpenAI", "GPT-4o"));
        Assert.Same(anyGpt4o, state.GetBehavior("deepseek", "gpt-4o"));
        Assert.Same(anyOpenAI, state.GetBehavior("openai", "gpt-4o-mini"));
        Assert.Same(state.Default, state.GetBehavior("gemini", "gemini-2.5-flash"));
    }

    [Fact]
    public void SetBehavior_NoProviderNoModel_SetsDefault()
    {
        var state = new SimulatorState();
        var behavior = new SimulatorBehavior { Latency = TimeSpan.FromSeconds(1) };

        state.SetBehavior(null, null, behavior);

        Assert.Same(behavior, state.Default);
    }

    [Fact]
    public void RemoveBehavior_ExistingOverride_FallsBackToDefault()
    {
        var state = new SimulatorState();
        state.SetBehavior("anthropic", "claude-opus-4-5", new SimulatorBehavior { Fault = SimulatorFault.Overloaded });

        Assert.True(state.RemoveBehavior("anthropic", "claude-opus-4-5"));
        Assert.False(state.RemoveBehavior("anthropic", "claude-opus-4-5"));
        Assert.Equal(SimulatorFault.None, state.GetBehavior("anthropic", "claude-opus-4-5").Fault);
    }

    [Fact]
    public void Reset_AfterChanges_RestoresOptionsDefaultAndKeepsLedger()
    {
        var initial = new SimulatorBehavior { CompletionTokens = 7 };
        var state = new SimulatorState(new SimulatorOptions { DefaultBehavior = initial });
        state.Default = new SimulatorBehavior { CompletionTokens = 1 };
        state.SetBehavior("openai", null, new SimulatorBehavior());

        state.Reset();

        Assert.Same(initial, state.Default);
        Assert.Same(initial, state.GetBehavior("openai", "gpt-4o"));
    }

    [Fact]
    public void Constructor_NonPositiveAudioRate_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatorState(new SimulatorOptions { AudioBytesPerSecond = 0 }));
    }

    [Fact]
    public async Task StartAsync_PortOutOfRange_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            SimulatorServer.StartAsync(new SimulatorOptions { Port = 70_000 }, TestContext.Current.CancellationToken));
    }
}
