using System.Text.Json.Nodes;
using Helix.Core.Providers;
using Helix.Providers.Anthropic;
using Helix.Providers.Tests.Conformance;
using Helix.Simulator;

namespace Helix.Providers.Tests.Anthropic;

public sealed class AnthropicChatConformanceTests : ChatConformance
{
    protected override string SimulatedProvider => SimulatorProviders.Anthropic;

    protected override string ProviderModel => "claude-haiku-4-5";

    protected override ProviderEndpoint ChatEndpoint => new(new Uri(Server.BaseAddress, "anthropic/v1/"), ApiKey: null);

    protected override string ErrorBody(int status, string message) =>
        new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = "api_error", ["message"] = message }, ["request_id"] = "req_1" }.ToJsonString();

    protected override IChatProvider Create(HttpClient http, ProviderEndpoint endpoint) =>
        new AnthropicChatProvider(http, endpoint);
}
