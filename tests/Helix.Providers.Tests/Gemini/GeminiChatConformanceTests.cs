using Helix.Core.Providers;
using Helix.Providers.Gemini;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;

namespace Helix.Providers.Tests.Gemini;

public sealed class GeminiChatConformanceTests : ChatConformance
{
    protected override string SimulatedProvider => SimulatorProviders.Gemini;

    protected override string ProviderModel => "gemini-2.5-flash";

    protected override IChatProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new GeminiChatProvider(http, endpoint);
}
