using Helix.Core.Providers;
using Helix.Providers.OpenAI;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.OpenAI;

public sealed class OpenAISpeechConformanceTests : SpeechConformance
{
    protected override string SimulatedProvider => SimulatorProviders.OpenAI;

    protected override string ProviderModel => "tts-1";

    protected override string Voice => "alloy";

    protected override ISpeechProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new OpenAISpeechProvider("openai", http, endpoint);
}
