using Helix.Core.Providers;
using Helix.Providers.OpenAI;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.OpenAI;

public sealed class OpenAIEmbeddingsConformanceTests : EmbeddingsConformance
{
    protected override string SimulatedProvider => SimulatorProviders.OpenAI;

    protected override string ProviderModel => "text-embedding-3-small";

    protected override IEmbeddingsProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new OpenAIEmbeddingsProvider("openai", http, endpoint);
}
