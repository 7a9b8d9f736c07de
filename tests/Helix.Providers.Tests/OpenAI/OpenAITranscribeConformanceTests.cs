using Helix.Core.Providers;
using Helix.Providers.OpenAI;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.OpenAI;

public sealed class OpenAITranscribeConformanceTests : TranscriptionConformance
{
    protected override string SimulatedProvider => SimulatorProviders.OpenAI;

    protected override string ProviderModel => "gpt-4o-mini-transcribe";

    protected override ITranscriptionProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new OpenAITranscriptionProvider("openai", http, endpoint);

    // The gpt-4o transcribe models bill audio tokens (10 a second in the simulator), the prompt's text and the output.
    protected override void AssertUsage(Transcript transcript, SimulatorLedgerEntry billed)
    {
        var meters = transcript.Usage.Meters;
        Assert.Equal(35, meters.InputAudioTokens);
        Assert.Equal(billed.PromptTokens, meters.InputAudioTokens + meters.InputTokens);
        Assert.Equal(billed.CompletionTokens, meters.OutputTokens);
        Assert.Equal(0m, meters.AudioSeconds);
    }
}
