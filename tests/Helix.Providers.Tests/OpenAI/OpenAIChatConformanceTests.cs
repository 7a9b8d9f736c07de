using System.Text.Json.Nodes;
using Helix.Core.Providers;
using Helix.Providers.OpenAI;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;

namespace Helix.Providers.Tests.OpenAI;

public sealed class OpenAIChatConformanceTests : ChatConformance
{
    protected override string SimulatedProvider => SimulatorProviders.OpenAI;

    protected override string ProviderModel => "gpt-4o-mini";

    protected override bool TranslatesRequests => false;

    protected override string ErrorBody(int status, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = null, ["code"] = null } }.ToJsonString();

    protected override IChatProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new OpenAICompatibleChatProvider("openai", http, endpoint);
}
