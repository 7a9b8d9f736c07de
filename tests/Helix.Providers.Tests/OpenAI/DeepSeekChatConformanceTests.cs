using System.Text.Json.Nodes;
using Helix.Core.Providers;
using Helix.Providers.OpenAI;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;

namespace Helix.Providers.Tests.OpenAI;

public sealed class DeepSeekChatConformanceTests : ChatConformance
{
    protected override string SimulatedProvider => SimulatorProviders.DeepSeek;

    protected override string ProviderModel => "deepseek-v4-flash";

    // DeepSeek's bodies pass through as DeepSeek writes them (without OpenAI's refusal field).
    protected override bool FollowsOpenAISchema => false;

    protected override bool TranslatesRequests => false;

    protected override string ErrorBody(int status, string message) =>
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = null, ["code"] = null } }.ToJsonString();

    protected override IChatProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new OpenAICompatibleChatProvider("deepseek", http, endpoint);
}
