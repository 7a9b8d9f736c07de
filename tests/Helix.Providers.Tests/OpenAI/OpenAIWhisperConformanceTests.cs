using Helix.Core.Providers;
using Helix.Providers.OpenAI;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.OpenAI;

public sealed class OpenAIWhisperConformanceTests : TranscriptionConformance
{
    protected override string SimulatedProvider => SimulatorProviders.OpenAI;

    protected override string ProviderModel => "whisper-1";

    protected override ITranscriptionProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new OpenAITranscriptionProvider("openai", http, endpoint);

    // whisper-1 bills whole seconds of audio.
    protected override void AssertUsage(Transcript transcript, SimulatorLedgerEntry billed)
    {
        Assert.Equal(4m, transcript.Usage.Meters.AudioSeconds);
        Assert.Equal((decimal)billed.AudioSeconds, transcript.Usage.Meters.AudioSeconds);
        Assert.Equal("english", transcript.Language);
        Assert.Single(transcript.Segments);
    }
}
